//! Configuration: the environment the bot was started with, and who its owner and admins are.

use thiserror::Error;

use crate::name_map::NameMap;

/// A configuration value that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{name}: {reason}")]
pub struct ConfigError {
    /// The variable.
    pub name: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The runtime's secrets: read by the runtime from its own settings, never visible to modules
/// (they are removed from the configuration modules get, see [`Config::without_secrets`]).
pub const RUNTIME_SECRETS: [&str; 2] = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"];

/// The bot's configuration: every variable (env, `.env`, Worker vars) plus the parsed access lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    vars: NameMap<String>,
    owner_id: Option<i64>,
    admin_ids: Vec<i64>,
}

impl Config {
    /// Builds a configuration from `(name, value)` pairs; values are trimmed.
    ///
    /// `BOT_OWNER_ID` must be an integer, `BOT_ADMIN_IDS` a comma list of integers.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: NameMap<String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into().trim().to_owned()))
            .collect();
        let owner_id = match vars.get("BOT_OWNER_ID").map(String::as_str) {
            None | Some("") => None,
            Some(raw) => Some(parse_id("BOT_OWNER_ID", raw)?),
        };
        let admin_ids = match vars.get("BOT_ADMIN_IDS") {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| parse_id("BOT_ADMIN_IDS", s))
                .collect::<Result<_, _>>()?,
        };
        Ok(Self {
            vars,
            owner_id,
            admin_ids,
        })
    }

    /// A variable's value, when set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Sets a variable (tests, command-line overrides).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) -> Result<(), ConfigError> {
        let mut vars = std::mem::take(&mut self.vars);
        vars.insert(name.into(), value.into());
        *self = Self::from_vars(vars.into_entries())?;
        Ok(())
    }

    /// The same configuration without the [`RUNTIME_SECRETS`]: what modules get.
    pub fn without_secrets(&self) -> Config {
        let mut config = self.clone();
        for name in RUNTIME_SECRETS {
            config.vars.remove(name);
        }
        config
    }

    /// The bot owner's Telegram user id (`BOT_OWNER_ID`).
    pub fn owner_id(&self) -> Option<i64> {
        self.owner_id
    }

    /// Admin user ids (`BOT_ADMIN_IDS`); the owner is an admin too.
    pub fn admin_ids(&self) -> &[i64] {
        &self.admin_ids
    }

    /// The bot's username for `/cmd@bot` matching (`TELEGRAM_BOT_USERNAME`, without `@`).
    pub fn bot_username(&self) -> Option<&str> {
        self.get("TELEGRAM_BOT_USERNAME").map(|u| u.trim_start_matches('@'))
    }

    /// The names of every variable that is set, for diagnostics (values are never listed).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.names()
    }
}

fn parse_id(name: &str, raw: &str) -> Result<i64, ConfigError> {
    raw.parse::<i64>().map_err(|_| ConfigError {
        name: name.to_owned(),
        reason: format!("{raw:?} is not a Telegram user id (an integer)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_owner_and_admins() {
        let c = Config::from_vars([("BOT_OWNER_ID", " 7 "), ("BOT_ADMIN_IDS", "1, 2,,3 ")]).unwrap();
        assert_eq!(c.owner_id(), Some(7));
        assert_eq!(c.admin_ids(), &[1, 2, 3]);
        let err = Config::from_vars([("BOT_ADMIN_IDS", "1,x")]).unwrap_err();
        assert_eq!(err.name, "BOT_ADMIN_IDS");
        assert!(Config::from_vars([("BOT_OWNER_ID", "")]).unwrap().owner_id().is_none());
    }

    #[test]
    fn names_are_sorted_and_a_repeated_name_keeps_its_last_value() {
        let mut c = Config::from_vars([("B", "1"), ("A", "2"), ("C", "3"), ("B", " 4 ")]).unwrap();
        assert_eq!(c.names().collect::<Vec<_>>(), ["A", "B", "C"]);
        assert_eq!(c.get("B"), Some("4"));
        c.set("AA", "5").unwrap();
        c.set("C", "6").unwrap();
        assert_eq!(c.names().collect::<Vec<_>>(), ["A", "AA", "B", "C"]);
        assert_eq!((c.get("AA"), c.get("C"), c.get("D")), (Some("5"), Some("6"), None));
    }

    #[test]
    fn modules_never_see_the_runtime_secrets() {
        let c = Config::from_vars([
            ("TELEGRAM_BOT_TOKEN", "1:x"),
            ("TELEGRAM_WEBHOOK_SECRET", "s"),
            ("MODULES", "util"),
        ])
        .unwrap();
        let view = c.without_secrets();
        assert_eq!(view.get("TELEGRAM_BOT_TOKEN"), None);
        assert_eq!(view.get("TELEGRAM_WEBHOOK_SECRET"), None);
        assert_eq!(view.names().collect::<Vec<_>>(), ["MODULES"]);
        assert_eq!(c.get("TELEGRAM_BOT_TOKEN"), Some("1:x"));
    }
}
