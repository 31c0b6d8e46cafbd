use serde::de::DeserializeOwned;

use super::{SqlError, Value};

/// One result row: column names and their values, in select order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    columns: Vec<String>,
    values: Vec<Value>,
}

impl Row {
    /// A row from parallel column and value lists.
    pub fn new(columns: Vec<String>, values: Vec<Value>) -> Self {
        Self { columns, values }
    }

    /// Column names in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Values in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The value of column `name` (the first one, if repeated).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| self.values.get(i))
    }

    /// The row as a JSON object keyed by column name.
    pub fn to_json(&self) -> serde_json::Value {
        // Inserted one by one, not collected: `collect` into the map (a BTreeMap) sorts first,
        // which costs the Worker's wasm a stable sort; a repeated column keeps its last value
        // either way.
        let mut map = serde_json::Map::new();
        for (c, v) in self.columns.iter().zip(&self.values) {
            map.insert(c.clone(), v.to_json());
        }
        serde_json::Value::Object(map)
    }

    /// The row deserialised into the caller's type (fields by column name).
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, SqlError> {
        crate::json::from_value(self.to_json()).map_err(|e| SqlError::Decode(e.to_string()))
    }
}
