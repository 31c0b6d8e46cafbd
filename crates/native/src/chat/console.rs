//! The read–dispatch–print loop.

use std::io::BufRead;

use miti99bot_core::ingress::{Ingress, Outcome};
use miti99bot_core::telegram::synthetic::{callback_update, private_text_update};
use miti99bot_core::telegram::Update;

use super::LatestKeyboard;

/// Who the console user is and how output looks.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// The sender's user id.
    pub user_id: i64,
    /// The private chat's id.
    pub chat_id: i64,
    /// Print a `you>` prompt before each line (interactive terminals).
    pub prompt: bool,
    /// The latest message with buttons, for `#N` (from [`ConsoleTelegram::keyboard`](super::ConsoleTelegram::keyboard)).
    pub keyboard: LatestKeyboard,
}

/// Reads lines until end of input, applying each as an update through `ingress` (the path of
/// the webhook and polling); returns the number of updates. A line `#N` presses button `N` of
/// the latest message with buttons (a URL button prints its URL instead).
///
/// Handler errors are printed to stderr and the console goes on, as the webhook would.
pub async fn run_console(
    ingress: &Ingress,
    input: impl BufRead,
    options: &ConsoleOptions,
    now_secs: impl Fn() -> i64,
) -> std::io::Result<u64> {
    let mut update_id = 0i64;
    let show_prompt = || {
        if options.prompt {
            eprint!("\x1b[34myou>\x1b[0m ");
        }
    };
    show_prompt();
    for line in input.lines() {
        let line = line?;
        let text = line.trim_end_matches('\r');
        if !text.trim().is_empty() {
            update_id += 1;
            let update = match press(text, update_id, options) {
                Some(Ok(update)) => update,
                Some(Err(said)) => {
                    update_id -= 1;
                    println!("{said}");
                    show_prompt();
                    continue;
                }
                None => private_text_update(update_id, update_id, options.chat_id, options.user_id, now_secs(), text),
            };
            match ingress.apply(update).await {
                Outcome::Failed(error) | Outcome::Rejected(error) | Outcome::Unavailable(error) => {
                    eprintln!("error: {error}")
                }
                Outcome::Panicked => eprintln!("error: the handler panicked"),
                outcome => tracing::debug!(?outcome, "console update"),
            }
        }
        show_prompt();
    }
    if options.prompt {
        eprintln!();
    }
    Ok(update_id as u64)
}

/// The update of a `#N` line, or what to print instead; `None` when the line is not `#N`.
fn press(line: &str, update_id: i64, options: &ConsoleOptions) -> Option<Result<Update, String>> {
    let n: usize = line.trim().strip_prefix('#')?.parse().ok()?;
    if !options.keyboard.is_set() {
        return Some(Err("(no message with buttons yet)".to_owned()));
    }
    let Some((message, button)) = options.keyboard.button(n) else {
        return Some(Err(format!("(no button {n} under the latest message)")));
    };
    Some(match (button.callback_data, button.url) {
        (Some(data), _) => Ok(callback_update(update_id, options.user_id, message, &data)),
        (None, Some(url)) => Err(format!("(opens {url})")),
        (None, None) => Err(format!("(button {n} does nothing here)")),
    })
}
