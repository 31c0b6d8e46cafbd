//! `misc`: a demo of the key-value store and of all three visibilities.
//!
//! `/ping` records when it was last called (best effort) and answers `pong`; `/mstats`
//! (protected) shows that time; `/fortytwo` (private) is listed nowhere.
//!
//! `/ping` is [idempotent](miti99bot_core::Command::idempotent): its write only overwrites the
//! last time, so its updates take no ledger claim (one KV write and the reply, nothing more).

use miti99bot_core::civil_time::CivilTime;
use miti99bot_core::{Command, CommandCtx, Config, ConfigError, Error, HandlerResult, Module};
use serde::{Deserialize, Serialize};

/// The KV key holding the last ping.
pub const LAST_PING_KEY: &str = "last_ping";

/// What `/ping` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastPing {
    /// Unix milliseconds.
    pub at: i64,
}

/// The `misc` module.
pub fn module(_config: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("misc")
        .command(Command::public("ping", "Check the bot is alive", ping).idempotent())
        .command(Command::protected("mstats", "Show when /ping was last used", mstats))
        .command(Command::private("fortytwo", "The answer", fortytwo)))
}

async fn ping(ctx: CommandCtx) -> HandlerResult {
    // Best effort, as in the original: a failed write must not cost the user the reply.
    if let Err(error) = ctx.kv().put_json(LAST_PING_KEY, &LastPing { at: ctx.now_ms() }).await {
        miti99bot_core::warn!(%error, "misc: could not record last ping");
    }
    ctx.reply("pong").await?;
    Ok(())
}

async fn mstats(ctx: CommandCtx) -> Result<String, Error> {
    let last = match ctx.kv().get_json::<LastPing>(LAST_PING_KEY).await {
        Ok(last) => last,
        Err(error) => {
            miti99bot_core::warn!(%error, "misc: unreadable last ping");
            None
        }
    };
    Ok(mstats_text(last))
}

/// `/mstats`'s reply.
pub fn mstats_text(last: Option<LastPing>) -> String {
    match last {
        Some(LastPing { at }) => format!("last ping: {}", CivilTime::iso8601(at)),
        None => "last ping: never".to_owned(),
    }
}

async fn fortytwo(_ctx: CommandCtx) -> Result<&'static str, Error> {
    Ok("The answer.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mstats_formats_iso_time_or_never() {
        assert_eq!(mstats_text(None), "last ping: never");
        assert_eq!(
            mstats_text(Some(LastPing { at: 1_795_885_200_123 })),
            "last ping: 2026-11-28T17:00:00.123Z"
        );
    }
}
