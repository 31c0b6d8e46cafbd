//! A module only the e2e build has (`--features e2e`): commands that exercise what the built-in
//! modules never do on purpose. Enabled by naming `e2e` in `MODULES`.
//!
//! - `/twice`: two replies, `first` then `second` (webhook reply keeps their order);
//! - `/panic`: panics before any effect (the entry's guard answers 200; the next request runs
//!   on a fresh instance).

use miti99bot_core::{Command, CommandCtx, Config, ConfigError, Error, HandlerResult, Module};

/// The `e2e` module.
pub fn module(_config: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("e2e")
        .command(Command::private("twice", "Two replies", twice))
        .command(Command::private("panic", "Panics", panic)))
}

async fn twice(ctx: CommandCtx) -> Result<&'static str, Error> {
    ctx.reply("first").await?;
    Ok("second")
}

#[allow(clippy::panic)]
async fn panic(_ctx: CommandCtx) -> HandlerResult {
    panic!("deliberate panic in the e2e module");
}
