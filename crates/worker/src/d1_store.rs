//! The D1 [`SqlStore`]: typed binds, typed rows, D1 batches as the atomic unit.

use js_sys::{Array, ArrayBuffer, Object, Promise, Uint8Array};
use miti99bot_core::sql::rules::check_statement;
use miti99bot_core::sql::{BatchResult, Row, RunResult, SqlError, SqlStore, Statement, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::d1_sys::{D1Binding, D1Statement};
use crate::env_vars::Env;
use crate::js_number::number_to_value;
use crate::js_object::{self, get};

/// A D1 database as the framework's raw SQL backend.
#[derive(Debug, Clone)]
pub struct D1Store {
    db: D1Binding,
}

impl D1Store {
    /// The D1 binding named `binding` on `env`, if the Worker has one.
    pub fn from_env(env: &Env, binding: &str) -> Option<Self> {
        Some(Self {
            db: js_object::binding(env, binding)?.unchecked_into(),
        })
    }

    fn prepare(&self, statement: &Statement) -> Result<D1Statement, SqlError> {
        // The core rules run here too, so a caller bypassing ModuleSql still cannot have an
        // integer beyond ±(2^53 − 1) rounded into a double on its way to D1.
        check_statement(statement)?;
        let prepared = self.db.prepare(&statement.sql).map_err(js_error)?;
        if statement.params.is_empty() {
            return Ok(prepared);
        }
        let values: Array = statement.params.iter().map(value_to_js).collect();
        prepared.bind(&values).map_err(js_error)
    }
}

async fn resolve(promise: Result<Promise, JsValue>) -> Result<JsValue, SqlError> {
    JsFuture::from(promise.map_err(js_error)?).await.map_err(js_error)
}

/// A bound value as D1 takes it. Integers are JS numbers: exact, because the rules above
/// admit only ±(2^53 − 1).
fn value_to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        #[allow(clippy::cast_precision_loss)]
        Value::Integer(i) => JsValue::from_f64(*i as f64),
        Value::Real(r) => JsValue::from_f64(*r),
        Value::Text(s) => JsValue::from_str(s),
        Value::Blob(bytes) => Uint8Array::from(bytes.as_slice()).buffer().into(),
    }
}

/// A value D1 returned, typed.
fn js_to_value(value: &JsValue, column: &str) -> Result<Value, SqlError> {
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(n) = value.as_f64() {
        return Ok(number_to_value(n));
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::Text(s));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Integer(i64::from(b)));
    }
    if value.is_bigint() {
        let text: String = value
            .unchecked_ref::<js_sys::BigInt>()
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return text
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| SqlError::Decode(format!("column {column:?}: bigint {text} is outside i64")));
    }
    if value.is_instance_of::<ArrayBuffer>() || value.is_instance_of::<Uint8Array>() {
        return Ok(Value::Blob(Uint8Array::new(value).to_vec()));
    }
    if Array::is_array(value) {
        let bytes: Option<Vec<u8>> = Array::from(value)
            .iter()
            .map(|b| b.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=255.0).contains(n)))
            .map(|b| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                b.map(|n| n as u8)
            })
            .collect();
        return bytes
            .map(Value::Blob)
            .ok_or_else(|| SqlError::Decode(format!("column {column:?}: an array that is not bytes")));
    }
    Err(SqlError::Decode(format!(
        "column {column:?}: unsupported value from D1"
    )))
}

/// D1's error text: the message and, when it differs, its cause.
fn js_error(error: JsValue) -> SqlError {
    SqlError::database(js_object::error_text(&error))
}

/// `meta.changes` and `meta.last_row_id` of a D1 result.
fn run_result(result: &JsValue) -> RunResult {
    let meta = get(result, "meta");
    let changes = get(&meta, "changes").as_f64().unwrap_or(0.0);
    let last_row_id = get(&meta, "last_row_id").as_f64().unwrap_or(0.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    RunResult {
        changes: changes.max(0.0) as u64,
        last_row_id: last_row_id as i64,
    }
}

/// Rows from `raw({ columnNames: true })`: the first array names the columns.
fn rows_from_raw(raw: &JsValue) -> Result<Vec<Row>, SqlError> {
    let arrays: Array = raw
        .clone()
        .dyn_into()
        .map_err(|_| SqlError::Decode("D1 raw() did not return an array".into()))?;
    let mut iter = arrays.iter();
    let Some(names) = iter.next() else {
        return Ok(Vec::new());
    };
    let columns: Vec<String> = Array::from(&names)
        .iter()
        .map(|c| c.as_string().unwrap_or_default())
        .collect();
    // Loops, not `collect::<Result<_, _>>()` (its adapter costs the wasm more than the loop).
    let mut rows = Vec::new();
    for row in iter {
        let row = Array::from(&row);
        let mut values = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            values.push(js_to_value(&row.get(i as u32), column)?);
        }
        rows.push(Row::new(columns.clone(), values));
    }
    Ok(rows)
}

/// Rows from a result's `results` array of objects (what `batch` returns).
fn rows_from_objects(result: &JsValue) -> Result<Vec<Row>, SqlError> {
    let results = get(result, "results");
    if !Array::is_array(&results) {
        return Ok(Vec::new());
    }
    let mut rows = Vec::new();
    for object in Array::from(&results).iter() {
        let keys = Object::keys(object.unchecked_ref::<Object>());
        let columns: Vec<String> = keys.iter().map(|k| k.as_string().unwrap_or_default()).collect();
        let mut values = Vec::with_capacity(columns.len());
        for column in &columns {
            values.push(js_to_value(&get(&object, column), column)?);
        }
        rows.push(Row::new(columns, values));
    }
    Ok(rows)
}

#[async_trait::async_trait(?Send)]
impl SqlStore for D1Store {
    async fn run(&self, statement: &Statement) -> Result<RunResult, SqlError> {
        let prepared = self.prepare(statement)?;
        let result = resolve(prepared.run()).await?;
        Ok(run_result(&result))
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, SqlError> {
        let prepared = self.prepare(statement)?;
        let options = Object::new();
        js_object::set(&options, "columnNames", &JsValue::TRUE).map_err(js_error)?;
        let raw = resolve(prepared.raw(&options)).await?;
        rows_from_raw(&raw)
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        let prepared: Array = statements
            .iter()
            .map(|s| self.prepare(s).map(JsValue::from))
            .collect::<Result<Array, _>>()?;
        let results = resolve(self.db.batch(&prepared)).await?;
        let results: Array = results
            .dyn_into()
            .map_err(|_| SqlError::Decode("D1 batch() did not return an array".into()))?;
        let mut batch = Vec::with_capacity(statements.len());
        for result in results.iter() {
            let RunResult { changes, last_row_id } = run_result(&result);
            batch.push(BatchResult {
                rows: rows_from_objects(&result)?,
                changes,
                last_row_id,
            });
        }
        Ok(batch)
    }
}
