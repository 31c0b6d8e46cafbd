//! The read–dispatch–print loop.

use std::io::BufRead;

use miti99bot_core::ingress::{Ingress, Outcome};
use miti99bot_core::telegram::synthetic::private_text_update;

/// Who the console user is and how output looks.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// The sender's user id.
    pub user_id: i64,
    /// The private chat's id.
    pub chat_id: i64,
    /// Print a `you>` prompt before each line (interactive terminals).
    pub prompt: bool,
}

/// Reads lines until end of input, applying each as an update through `ingress` (the path of
/// the webhook and polling); returns the number of lines.
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
            let update = private_text_update(update_id, update_id, options.chat_id, options.user_id, now_secs(), text);
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
