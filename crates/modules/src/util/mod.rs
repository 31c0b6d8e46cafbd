//! `util`: `/help` lists the commands of every enabled module; `/info` shows the ids of the
//! chat, the forum topic and the sender; `/start` (what Telegram sends when someone opens the
//! bot; private, listed nowhere) points to `/help`. A `/start <payload>` deep link goes to the
//! module that claims the payload's prefix ([`Module::deep_link`](miti99bot_core::Module::deep_link)), and to this `/start` when
//! none does.

use miti99bot_core::help::{render_help_pages, MAX_MESSAGE_UNITS};
use miti99bot_core::{Command, CommandCtx, Config, ConfigError, Error, HandlerResult, Module};

/// The `util` module.
pub fn module(_config: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("util")
        .command(Command::public("help", "Show all available commands", help))
        .command(Command::public("info", "Show the chat, thread and sender ids", info))
        .command(Command::private("start", "Start the bot", start)))
}

/// `/start`'s reply.
pub const WELCOME: &str = "Hi! I am miti99bot. Send /help to see what I can do.";

async fn start(_ctx: CommandCtx) -> Result<&'static str, Error> {
    Ok(WELCOME)
}

async fn help(ctx: CommandCtx) -> HandlerResult {
    // Telegram refuses messages over 4096 characters: a long list goes out in several.
    for page in render_help_pages(ctx.commands(), MAX_MESSAGE_UNITS) {
        ctx.reply_html(page).await?;
    }
    Ok(())
}

async fn info(ctx: CommandCtx) -> Result<String, Error> {
    let message = ctx.message();
    Ok(info_text(message.chat.id, message.message_thread_id, ctx.from_id()))
}

/// `/info`'s reply: each id, or `n/a` when absent.
pub fn info_text(chat_id: i64, thread_id: Option<i64>, sender_id: Option<i64>) -> String {
    let show = |v: Option<i64>| v.map_or_else(|| "n/a".to_owned(), |v| v.to_string());
    format!(
        "chat id: {chat_id}\nthread id: {}\nsender id: {}",
        show(thread_id),
        show(sender_id)
    )
}

#[cfg(test)]
mod tests {
    use super::info_text;

    #[test]
    fn info_shows_na_for_missing_ids() {
        assert_eq!(
            info_text(-100, None, Some(7)),
            "chat id: -100\nthread id: n/a\nsender id: 7"
        );
        assert_eq!(info_text(5, Some(3), None), "chat id: 5\nthread id: 3\nsender id: n/a");
    }
}
