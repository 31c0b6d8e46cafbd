//! The offline chat console: type to the bot without a token or network.
//!
//! Each input line becomes a real Telegram [`Update`](miti99bot_core::telegram::Update) (a private
//! chat, increasing update and message ids, `bot_command` entities computed as Telegram computes
//! them) and goes through [`Bot::handle_update`](miti99bot_core::Bot::handle_update), the same
//! path the webhook uses. What the bot sends is printed, HTML rendered for a terminal.

mod console;
mod console_telegram;
mod render;

pub use console::{run_console, ConsoleOptions};
pub use console_telegram::{ConsoleTelegram, LatestKeyboard};
pub use render::render_html;
