//! [`NameMap`]: the framework's few name-keyed tables (configuration variables, the registry's
//! commands, callbacks and deep links) as sorted lists.
//!
//! A sorted `Vec` with binary search instead of `HashMap`/`BTreeMap`: the tables are small and
//! written once at start-up, a lookup is a handful of string comparisons (no hashing), and each
//! map type the Worker's wasm would otherwise carry (hashing, probing, rehashing, node
//! splitting) costs it far more code than these few lines per value type.

/// Names and a value each, sorted by name; inserting a name again replaces its value. Its
/// `Debug` output is a map's, as the `BTreeMap` it replaced in [`Config`](crate::Config) printed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct NameMap<V>(Vec<(String, V)>);

impl<V: std::fmt::Debug> std::fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| (name, value)))
            .finish()
    }
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> NameMap<V> {
    /// Where `name` is (`Ok`), or where it would go (`Err`).
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(name))
    }

    /// The value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&V> {
        let at = self.find(name).ok()?;
        self.0.get(at).map(|(_, value)| value)
    }

    /// Whether `name` has a value.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets the value of `name` (replacing any).
    pub(crate) fn insert(&mut self, name: String, value: V) {
        match self.find(&name) {
            Ok(at) => {
                if let Some(slot) = self.0.get_mut(at) {
                    slot.1 = value;
                }
            }
            Err(at) => self.0.insert(at, (name, value)),
        }
    }

    /// Removes `name`.
    pub(crate) fn remove(&mut self, name: &str) {
        if let Ok(at) = self.find(name) {
            self.0.remove(at);
        }
    }

    /// No name at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// The entries, sorted by name.
    pub(crate) fn into_entries(self) -> Vec<(String, V)> {
        self.0
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
