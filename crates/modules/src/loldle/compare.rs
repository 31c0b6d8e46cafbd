//! Comparing a guessed champion with the answer, attribute by attribute, and rendering the
//! result as plain text.

use super::champions::Champion;

/// How one attribute of a guess scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Same value (✅).
    Correct,
    /// A multi-valued attribute sharing some value (🟨).
    Partial,
    /// Different (❌).
    Wrong,
}

/// Which way the answer's release year lies from the guess's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The answer is newer (⬆).
    Up,
    /// The answer is older (⬇).
    Down,
}

/// One row of a guess: the attribute, its shown value and its mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The attribute key (`gender`, `genre`, `attackType`, `resource`, `region`, `lane`,
    /// `releaseDate`), in this order.
    pub key: &'static str,
    /// What the row is called (`Gender`, …, `Year`).
    pub label: &'static str,
    /// The guess's value as shown.
    pub value: String,
    /// The mark.
    pub mark: Mark,
    /// For a wrong year with both years known.
    pub direction: Option<Direction>,
}

/// Uppercases the first character (JavaScript's `s[0].toUpperCase() + s.slice(1)`; the data
/// is ASCII).
fn capitalise(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// Comma tokens, trimmed, lowercased, empties dropped.
fn tokens(s: &str) -> Vec<String> {
    s.split(',')
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn exact(guess: &str, target: &str) -> Mark {
    if guess.eq_ignore_ascii_case(target) {
        Mark::Correct
    } else {
        Mark::Wrong
    }
}

fn multi(guess: &str, target: &str) -> Mark {
    // Sets of at most six tokens: compared by membership, no sorting.
    let (g, t) = (tokens(guess), tokens(target));
    let shared = g.iter().filter(|x| t.contains(x)).count();
    match (g.is_empty(), t.is_empty()) {
        (true, true) => Mark::Correct,
        (true, false) | (false, true) => Mark::Wrong,
        _ if g.iter().all(|x| t.contains(x)) && t.iter().all(|x| g.contains(x)) => Mark::Correct,
        _ if shared > 0 => Mark::Partial,
        _ => Mark::Wrong,
    }
}

fn year(guess: Option<u32>, target: Option<u32>) -> (Mark, Option<Direction>) {
    match (guess.filter(|&y| y != 0), target.filter(|&y| y != 0)) {
        (Some(g), Some(t)) if g == t => (Mark::Correct, None),
        (Some(g), Some(t)) if g < t => (Mark::Wrong, Some(Direction::Up)),
        (Some(_), Some(_)) => (Mark::Wrong, Some(Direction::Down)),
        _ => (Mark::Wrong, None),
    }
}

fn or_dash(value: String) -> String {
    if value.is_empty() {
        "—".to_owned()
    } else {
        value
    }
}

fn list(value: &str) -> String {
    value
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(", ")
}

fn range(attack_type: &str) -> String {
    match attack_type {
        "" => String::new(),
        "close" => "Melee".to_owned(),
        _ => "Ranged".to_owned(),
    }
}

fn region(slug: &str) -> String {
    slug.split('-')
        .filter(|p| !p.is_empty())
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The seven rows of `guess` against `target`, in the declared order.
pub fn compare(guess: &Champion, target: &Champion) -> Vec<Row> {
    let row = |key, label, value: String, mark| Row {
        key,
        label,
        value: or_dash(value),
        mark,
        direction: None,
    };
    let (year_mark, direction) = year(guess.release_year, target.release_year);
    vec![
        row(
            "gender",
            "Gender",
            capitalise(guess.gender),
            exact(guess.gender, target.gender),
        ),
        row("genre", "Genre", list(guess.genre), multi(guess.genre, target.genre)),
        row(
            "attackType",
            "Range",
            range(guess.attack_type),
            exact(guess.attack_type, target.attack_type),
        ),
        row(
            "resource",
            "Resource",
            guess.resource.to_owned(),
            exact(guess.resource, target.resource),
        ),
        row(
            "region",
            "Region",
            region(guess.region),
            exact(guess.region, target.region),
        ),
        row("lane", "Lane", list(guess.lane), multi(guess.lane, target.lane)),
        Row {
            key: "releaseDate",
            label: "Year",
            value: guess.release_year.map_or_else(|| "?".to_owned(), |y| y.to_string()),
            mark: year_mark,
            direction,
        },
    ]
}

/// A guess as text: `🎯 <name>`, then `<mark> <label>: <value>` per row, with ` ⬆`/` ⬇` on a
/// wrong year.
pub fn render_guess(guess: &Champion, target: &Champion) -> String {
    let mut out = format!("🎯 {}", guess.name);
    for row in compare(guess, target) {
        let mark = match row.mark {
            Mark::Correct => "✅",
            Mark::Partial => "🟨",
            Mark::Wrong => "❌",
        };
        let arrow = match (row.mark, row.direction) {
            (Mark::Correct, _) | (_, None) => "",
            (_, Some(Direction::Up)) => " ⬆",
            (_, Some(Direction::Down)) => " ⬇",
        };
        out.push_str(&format!("\n{mark} {}: {}{arrow}", row.label, row.value));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::champions::by_id;
    use super::*;

    fn champion(id: &str) -> &'static Champion {
        by_id(id).unwrap()
    }

    fn marks(guess: &str, target: &str) -> Vec<(&'static str, Mark)> {
        compare(champion(guess), champion(target))
            .into_iter()
            .map(|r| (r.key, r.mark))
            .collect()
    }

    fn mark_of(guess: &str, target: &str, key: &str) -> Mark {
        marks(guess, target).into_iter().find(|(k, _)| *k == key).unwrap().1
    }

    #[test]
    fn every_row_is_correct_when_the_guess_is_the_target() {
        assert!(marks("Ahri", "Ahri").iter().all(|(_, m)| *m == Mark::Correct));
    }

    #[test]
    fn aatrox_against_ahri_is_wrong_on_the_exact_attributes() {
        for key in ["gender", "attackType", "resource", "region"] {
            assert_eq!(mark_of("Aatrox", "Ahri", key), Mark::Wrong, "{key}");
        }
    }

    #[test]
    fn akali_against_ahri_is_partial_on_genre_and_lane() {
        // Akali: Assassin, top/mid; Ahri: Mage,Assassin, mid.
        assert_eq!(mark_of("Akali", "Ahri", "genre"), Mark::Partial);
        assert_eq!(mark_of("Akali", "Ahri", "lane"), Mark::Partial);
    }

    #[test]
    fn genre_sets_ignore_case_and_order() {
        assert_eq!(multi("assassin", "Assassin"), Mark::Correct);
        assert_eq!(multi("Mage,Assassin", "assassin, mage"), Mark::Correct);
        assert_eq!(multi("", ""), Mark::Correct);
        assert_eq!(multi("", "Mage"), Mark::Wrong);
        assert_eq!(multi("Tank", "Mage"), Mark::Wrong);
    }

    #[test]
    fn year_direction_points_at_the_answer() {
        assert_eq!(year(Some(2010), Some(2013)), (Mark::Wrong, Some(Direction::Up)));
        assert_eq!(year(Some(2013), Some(2010)), (Mark::Wrong, Some(Direction::Down)));
        assert_eq!(year(Some(2013), Some(2013)), (Mark::Correct, None));
        assert_eq!(year(None, Some(2013)), (Mark::Wrong, None));
        assert_eq!(year(None, None), (Mark::Wrong, None));
    }

    #[test]
    fn rows_come_in_the_declared_order() {
        let keys: Vec<_> = marks("Aatrox", "Ahri").into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "gender",
                "genre",
                "attackType",
                "resource",
                "region",
                "lane",
                "releaseDate"
            ]
        );
    }

    #[test]
    fn ahri_against_aatrox_renders_as_in_the_spec() {
        assert_eq!(
            render_guess(champion("Ahri"), champion("Aatrox")),
            "🎯 Ahri\n❌ Gender: Female\n❌ Genre: Mage, Assassin\n❌ Range: Ranged\n❌ Resource: Mana\n\
             ❌ Region: Ionia\n❌ Lane: Mid\n❌ Year: 2011 ⬆"
        );
    }

    #[test]
    fn missing_values_show_as_dash_and_question_mark() {
        let text = render_guess(champion("Yunara"), champion("Aatrox"));
        assert!(text.contains("❌ Lane: —"), "{text}");
        assert!(text.contains("❌ Year: ?"), "{text}");
        assert!(render_guess(champion("Belveth"), champion("Aatrox")).contains("Resource: —"));
        assert!(render_guess(champion("Thresh"), champion("Ahri")).contains("Region: Shadow Isles"));
    }
}
