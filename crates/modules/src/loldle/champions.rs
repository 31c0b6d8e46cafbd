//! The 172 champions (`champions.tsv`, embedded at build time column by column by `build.rs`:
//! it compresses better so), in the original's order (sorted by display name; the order is
//! part of the behaviour), parsed once per process.

use std::sync::OnceLock;

use miti99bot_core::Random;

/// One champion: the fields the game uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Champion {
    /// Stable key without spaces or punctuation (`MonkeyKing`): what a round stores.
    pub id: &'static str,
    /// Display name (`Wukong`): what replies show.
    pub name: &'static str,
    /// In-game title (`the Darkin Blade`).
    pub title: &'static str,
    /// `male`, `female` or `divers`.
    pub gender: &'static str,
    /// Classes, comma-separated (`Mage,Assassin`).
    pub genre: &'static str,
    /// `close` or `range`.
    pub attack_type: &'static str,
    /// Resource bar (`Mana`, `None`; empty for Bel'Veth).
    pub resource: &'static str,
    /// Home region slug (`shadow-isles`).
    pub region: &'static str,
    /// Lanes, comma-separated (`top,mid`; empty for Yunara and Zaahen).
    pub lane: &'static str,
    /// Release year (`None` for Yunara and Zaahen).
    pub release_year: Option<u32>,
}

/// champions.tsv's ten columns (no header), one line each, the values tab-separated.
const COLUMNS: &str = include_str!(concat!(env!("OUT_DIR"), "/loldle_columns.txt"));

/// Every champion, in data order.
pub fn all() -> &'static [Champion] {
    static CHAMPIONS: OnceLock<Vec<Champion>> = OnceLock::new();
    CHAMPIONS.get_or_init(|| {
        let columns: Vec<Vec<&'static str>> = COLUMNS.split('\n').map(|c| c.split('\t').collect()).collect();
        let rows = columns.first().map_or(0, Vec::len);
        (0..rows).filter_map(|i| row(&columns, i)).collect()
    })
}

/// Row `i` of the columns; `None` if a column is short (build.rs refuses such a file).
fn row(columns: &[Vec<&'static str>], i: usize) -> Option<Champion> {
    let field = |k: usize| columns.get(k)?.get(i).copied();
    Some(Champion {
        id: field(0)?,
        name: field(1)?,
        title: field(2)?,
        gender: field(3)?,
        genre: field(4)?,
        attack_type: field(5)?,
        resource: field(6)?,
        region: field(7)?,
        lane: field(8)?,
        release_year: field(9)?.parse().ok(),
    })
}

/// The champion with this id, if the data still has it.
pub fn by_id(id: &str) -> Option<&'static Champion> {
    all().iter().find(|c| c.id == id)
}

/// A uniformly random champion's id, for a new round.
pub fn pick(random: &dyn Random) -> &'static str {
    let champions = all();
    champions
        .get(random.below(champions.len() as u64) as usize)
        .map_or("Aatrox", |c| c.id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_data_has_172_champions_in_the_original_order() {
        let all = all();
        assert_eq!(all.len(), 172);
        assert_eq!(include_str!("champions.tsv").lines().count(), 173);
        assert_eq!(all[0].id, "Aatrox");
        assert_eq!(all[171].id, "Zyra");
        let pos = |id: &str| all.iter().position(|c| c.id == id).unwrap();
        assert!(pos("KSante") < pos("Kaisa"));
        assert!(pos("DrMundo") < pos("Draven"));
        assert_eq!(pos("MonkeyKing"), pos("Warwick") + 1);
        // The daily picker's vectors (games.md §3.2) index this order.
        assert_eq!(all[75].id, "Lulu");
        assert_eq!(all[139].id, "Tryndamere");
    }

    #[test]
    fn the_pick_indexes_the_data_order() {
        // The original's pickRandom tests (rng 0 gives the first, 0.999 the last, 0.5 the
        // middle), with the draw pinned instead of Math.random.
        use miti99bot_core::FixedRandom;
        assert_eq!(pick(&FixedRandom(0)), "Aatrox");
        assert_eq!(pick(&FixedRandom(171)), "Zyra");
        assert_eq!(pick(&FixedRandom(86)), all()[86].id);
        assert_eq!(pick(&FixedRandom(172)), "Aatrox");
    }

    #[test]
    fn the_columns_are_the_tsv_rows() {
        let rows: Vec<Vec<&str>> = include_str!("champions.tsv")
            .lines()
            .skip(1)
            .map(|l| l.split('\t').collect())
            .collect();
        assert_eq!(rows.len(), all().len());
        for (row, c) in rows.iter().zip(all()) {
            let year = c.release_year.map(|y| y.to_string()).unwrap_or_default();
            let fields = [
                c.id,
                c.name,
                c.title,
                c.gender,
                c.genre,
                c.attack_type,
                c.resource,
                c.region,
                c.lane,
                &year,
            ];
            assert_eq!(row[..], fields[..]);
        }
    }

    #[test]
    fn missing_values_are_kept_as_missing() {
        let yunara = by_id("Yunara").unwrap();
        assert_eq!((yunara.lane, yunara.release_year), ("", None));
        assert_eq!(by_id("Belveth").unwrap().resource, "");
        assert_eq!(by_id("MonkeyKing").unwrap().name, "Wukong");
        assert_eq!(by_id("Aatrox").unwrap().release_year, Some(2013));
    }
}
