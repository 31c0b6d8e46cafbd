//! [`TickerMap`]: ticker → whole number (shares held, fixed prices), sorted by ticker.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Tickers and a whole number each, sorted by ticker, one entry per ticker (inserting a ticker
/// again replaces its number). It reads and writes JSON as an object, and debug-prints, exactly
/// like the `BTreeMap<String, i64>` it replaces: a sorted list with binary search costs the
/// Worker's wasm less than that map type's own insert, remove, clone and drop code.
///
/// ```
/// use miti99bot_modules::trading::ticker_map::TickerMap;
/// let mut map: TickerMap = [("VNM".to_owned(), 1), ("FPT".to_owned(), 2)].into_iter().collect();
/// assert_eq!(map.insert("VNM".to_owned(), 3), Some(1));
/// assert_eq!(map.keys().collect::<Vec<_>>(), ["FPT", "VNM"]);
/// assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"FPT":2,"VNM":3}"#);
/// assert_eq!(format!("{map:?}"), r#"{"FPT": 2, "VNM": 3}"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TickerMap(Vec<(String, i64)>);

impl TickerMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `ticker` is (`Ok`), or where it would go (`Err`).
    fn find(&self, ticker: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(ticker))
    }

    /// The number of `ticker`.
    pub fn get(&self, ticker: &str) -> Option<&i64> {
        let at = self.find(ticker).ok()?;
        self.0.get(at).map(|(_, n)| n)
    }

    /// Sets the number of `ticker`; returns the one it replaced.
    pub fn insert(&mut self, ticker: String, n: i64) -> Option<i64> {
        match self.find(&ticker) {
            Ok(at) => self.0.get_mut(at).map(|slot| std::mem::replace(&mut slot.1, n)),
            Err(at) => {
                self.0.insert(at, (ticker, n));
                None
            }
        }
    }

    /// Removes `ticker`; returns its number.
    pub fn remove(&mut self, ticker: &str) -> Option<i64> {
        let at = self.find(ticker).ok()?;
        Some(self.0.remove(at).1)
    }

    /// The entries, by ticker.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.0.iter().map(|(k, n)| (k, n))
    }

    /// The tickers, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// How many tickers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No ticker at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, i64)> for TickerMap {
    fn from_iter<I: IntoIterator<Item = (String, i64)>>(entries: I) -> Self {
        let mut map = Self::new();
        for (ticker, n) in entries {
            map.insert(ticker, n);
        }
        map
    }
}

impl fmt::Debug for TickerMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for TickerMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for TickerMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;

        impl<'de> Visitor<'de> for Entries {
            type Value = TickerMap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<TickerMap, A::Error> {
                let mut map = TickerMap::new();
                while let Some((ticker, n)) = access.next_entry::<String, i64>()? {
                    map.insert(ticker, n);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn reads_writes_and_prints_like_a_btreemap() {
        for json in [r#"{}"#, r#"{"VNM":10}"#, r#"{"VNM":1,"FPT":3,"VNM":2,"AAA":-1}"#] {
            let ours: TickerMap = serde_json::from_str(json).unwrap();
            let theirs: BTreeMap<String, i64> = serde_json::from_str(json).unwrap();
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
            assert_eq!(ours.len(), theirs.len());
            let value = serde_json::from_str::<serde_json::Value>(json).unwrap();
            assert_eq!(serde_json::from_value::<TickerMap>(value).unwrap(), ours);
        }
        for bad in [r#"[]"#, r#"{"VNM":1.5}"#, r#"{"VNM":"1"}"#, r#"3"#] {
            assert!(serde_json::from_str::<TickerMap>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<BTreeMap<String, i64>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn insert_get_remove() {
        let mut map = TickerMap::new();
        assert_eq!(map.insert("VNM".into(), 1), None);
        assert_eq!(map.insert("AAA".into(), 2), None);
        assert_eq!(map.insert("VNM".into(), 3), Some(1));
        assert_eq!(
            (map.get("VNM"), map.get("AAA"), map.get("B")),
            (Some(&3), Some(&2), None)
        );
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            [(&"AAA".to_owned(), &2), (&"VNM".to_owned(), &3)]
        );
        assert_eq!(map.remove("AAA"), Some(2));
        assert_eq!(map.remove("AAA"), None);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["VNM"]);
        assert!(!map.is_empty());
    }
}
