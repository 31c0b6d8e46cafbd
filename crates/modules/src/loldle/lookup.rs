//! Finding a champion from what the user typed: exact id or name first, then a unique prefix.

use super::champions::{all, Champion};

/// Lowercases and keeps only `a–z` and `0–9` (ASCII lowercasing, as in
/// [`normalize_word`](crate::wordle::marking::normalize_word)).
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect()
}

/// The champion `input` names: the first whose normalised id or name equals it, else the one
/// champion whose id or name starts with it. Nothing for an empty, unknown or ambiguous input
/// (all answered "Champion not found").
pub fn find(input: &str) -> Option<&'static Champion> {
    find_in(all(), input)
}

/// [`find`] over any list (the original's tests use small fixtures).
pub fn find_in<'a>(champions: &'a [Champion], input: &str) -> Option<&'a Champion> {
    let q = normalize(input);
    if q.is_empty() {
        return None;
    }
    let keys = |c: &Champion| [normalize(c.id), normalize(c.name)];
    if let Some(exact) = champions.iter().find(|c| keys(c).contains(&q)) {
        return Some(exact);
    }
    let mut prefixed = champions.iter().filter(|c| keys(c).iter().any(|k| k.starts_with(&q)));
    match (prefixed.next(), prefixed.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(input: &str) -> Option<&'static str> {
        find(input).map(|c| c.id)
    }

    fn fixture(id: &'static str, name: &'static str) -> Champion {
        Champion {
            id,
            name,
            title: "",
            gender: "",
            genre: "",
            attack_type: "",
            resource: "",
            region: "",
            lane: "",
            release_year: None,
        }
    }

    #[test]
    fn the_originals_lookup_tests() {
        let mut list = vec![
            fixture("Aatrox", "Aatrox"),
            fixture("Ahri", "Ahri"),
            fixture("KhaZix", "Kha'Zix"),
            fixture("MissFortune", "Miss Fortune"),
        ];
        let found = |list: &[Champion], q: &str| find_in(list, q).map(|c| c.id);
        assert_eq!(found(&list, "AHRI"), Some("Ahri"));
        assert_eq!(found(&list, "aatrox"), Some("Aatrox"));
        assert_eq!(found(&list, "kha'zix"), Some("KhaZix"));
        assert_eq!(found(&list, "miss fortune"), Some("MissFortune"));
        assert_eq!(found(&list, "MissFortune"), Some("MissFortune"));
        assert_eq!(found(&list, "zzz"), None);
        assert_eq!(found(&list, ""), None);
        assert_eq!(found(&list, "aat"), Some("Aatrox"));
        list.push(fixture("Aatrox2", "Aatrox2"));
        assert_eq!(found(&list, "aa"), None);
    }

    #[test]
    fn the_spec_examples_against_the_real_data() {
        for q in ["kha'zix", "KHAZIX", "Kha Zix"] {
            assert_eq!(id(q), Some("Khazix"), "{q}");
        }
        assert_eq!(id("miss fortune"), Some("MissFortune"));
        assert_eq!(id("wukong"), Some("MonkeyKing"));
        assert_eq!(id("monkeyking"), Some("MonkeyKing"));
        assert_eq!(id("nunu & willump"), Some("Nunu"));
        assert_eq!(id("nunu"), Some("Nunu"));
        assert_eq!(id("lee"), Some("LeeSin"));
        assert_eq!(id("ka"), None);
        assert_eq!(id("aat"), Some("Aatrox"));
        assert_eq!(id("   "), None);
    }
}
