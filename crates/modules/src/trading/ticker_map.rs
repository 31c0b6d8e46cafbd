//! [`TickerMap`]: ticker → whole number (shares held, fixed prices), sorted by ticker.

/// Tickers and a whole number each: core's [`NameMap`](miti99bot_core::NameMap), which reads
/// and writes JSON as an object, and debug-prints, exactly like the `BTreeMap<String, i64>` it
/// replaces (a sorted list with binary search costs the Worker's wasm less than that map
/// type's own insert, remove, clone and drop code).
pub type TickerMap = miti99bot_core::NameMap<i64>;

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
        assert_eq!(map.names().collect::<Vec<_>>(), ["VNM"]);
        assert!(!map.is_empty());
    }
}
