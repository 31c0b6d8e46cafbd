//! [`NameMap`]: small string-keyed tables (configuration variables, the registry's commands,
//! callbacks and deep links, trading's holdings and prices) as sorted lists.
//!
//! A sorted `Vec` with binary search instead of `HashMap`/`BTreeMap`: the tables are small, a
//! lookup is a handful of string comparisons (no hashing), and each map type the Worker's wasm
//! would otherwise carry (hashing, probing, rehashing, node splitting) costs it far more code
//! than these few lines per value type.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Names and a value each, sorted by name; inserting a name again replaces its value. It reads
/// and writes JSON as an object, and debug-prints, exactly like a `BTreeMap<String, V>`.
///
/// ```
/// use miti99bot_core::NameMap;
/// let mut map: NameMap<i64> = [("VNM".to_owned(), 1), ("FPT".to_owned(), 2)].into_iter().collect();
/// assert_eq!(map.insert("VNM".to_owned(), 3), Some(1));
/// assert_eq!(map.names().collect::<Vec<_>>(), ["FPT", "VNM"]);
/// assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"FPT":2,"VNM":3}"#);
/// assert_eq!(format!("{map:?}"), r#"{"FPT": 2, "VNM": 3}"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct NameMap<V>(Vec<(String, V)>);

impl<V: fmt::Debug> fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> NameMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `name` is (`Ok`), or where it would go (`Err`).
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(name))
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        let at = self.find(name).ok()?;
        self.0.get(at).map(|(_, value)| value)
    }

    /// Whether `name` has a value.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets the value of `name`; returns the one it replaced.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.find(&name) {
            Ok(at) => self.0.get_mut(at).map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(at) => {
                self.0.insert(at, (name, value));
                None
            }
        }
    }

    /// Removes `name`; returns its value.
    pub fn remove(&mut self, name: &str) -> Option<V> {
        let at = self.find(name).ok()?;
        Some(self.0.remove(at).1)
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No name at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// The entries, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(name, value)| (name, value))
    }

    /// The entries, sorted by name.
    pub fn into_entries(self) -> Vec<(String, V)> {
        self.0
    }
}

impl<V> FromIterator<(String, V)> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut map = Self::new();
        for (name, value) in entries {
            map.insert(name, value);
        }
        map
    }
}

impl<V: Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for NameMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = NameMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<NameMap<V>, A::Error> {
                let mut map = NameMap::new();
                while let Some((name, value)) = access.next_entry::<String, V>()? {
                    map.insert(name, value);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_one_value_per_name() {
        let mut map = NameMap::default();
        for (name, value) in [("b", 1), ("a", 2), ("c", 3), ("b", 4)] {
            map.insert(name.to_owned(), value);
        }
        assert_eq!(map.names().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!((map.get("a"), map.get("b"), map.get("d")), (Some(&2), Some(&4), None));
        assert!(map.contains_key("c") && !map.contains_key("cc"));
        map.remove("a");
        map.remove("zz");
        assert_eq!(map.clone().into_entries(), [("b".to_owned(), 4), ("c".to_owned(), 3)]);
        assert!(!map.is_empty() && NameMap::<u8>::default().is_empty());
        assert_eq!(format!("{map:?}"), r#"{"b": 4, "c": 3}"#);
    }
}
