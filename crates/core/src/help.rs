//! `/help` rendering: public, then protected commands of each module, in `MODULES` order.

use crate::command::Visibility;
use crate::command_list::CommandList;
use crate::html::escape_html;
use crate::names::utf16_len;

/// Telegram's limit on one message's text, in UTF-16 code units.
pub const MAX_MESSAGE_UNITS: usize = 4096;

/// The `/help` text (Telegram HTML). Private commands never appear.
pub fn render_help(commands: &CommandList) -> String {
    help_sections(commands).map_or_else(|| "no commands registered".to_owned(), |s| s.join("\n\n"))
}

/// `/help` as messages of at most `max_units` UTF-16 units each (Telegram allows 4096), split
/// between module sections, and between lines of a section too long for one message; a
/// continued section repeats its header. Joined with blank lines they read as [`render_help`].
pub fn render_help_pages(commands: &CommandList, max_units: usize) -> Vec<String> {
    let Some(sections) = help_sections(commands) else {
        return vec!["no commands registered".to_owned()];
    };
    let mut pages: Vec<String> = Vec::new();
    let mut current = String::new();
    let push = |piece: String, current: &mut String, pages: &mut Vec<String>| {
        let joined = if current.is_empty() {
            utf16_len(&piece)
        } else {
            utf16_len(current) + 2 + utf16_len(&piece)
        };
        if !current.is_empty() && joined > max_units {
            pages.push(std::mem::take(current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(&piece);
    };
    for section in sections {
        if utf16_len(&section) <= max_units {
            push(section, &mut current, &mut pages);
            continue;
        }
        // One section longer than a message: split it between lines, header on each part.
        let mut lines = section.lines();
        let header = lines.next().unwrap_or_default().to_owned();
        let mut part = header.clone();
        for line in lines {
            if utf16_len(&part) + 1 + utf16_len(line) > max_units && part != header {
                push(std::mem::replace(&mut part, header.clone()), &mut current, &mut pages);
            }
            part.push('\n');
            part.push_str(line);
        }
        push(part, &mut current, &mut pages);
    }
    if !current.is_empty() {
        pages.push(current);
    }
    pages
}

/// One `<b>module</b>` section per module with visible commands, in `MODULES` order.
fn help_sections(commands: &CommandList) -> Option<Vec<String>> {
    let mut sections = Vec::new();
    for module in commands.modules() {
        let of_module = |visibility| commands.with_visibility(visibility).filter(move |c| c.module == module);
        let mut lines = Vec::new();
        for c in of_module(Visibility::Public) {
            lines.push(format!("/{} — {}", c.name, escape_html(&c.description)));
        }
        for c in of_module(Visibility::Protected) {
            lines.push(format!("/{} — {} (protected)", c.name, escape_html(&c.description)));
        }
        if !lines.is_empty() {
            sections.push(format!("<b>{}</b>\n{}", escape_html(module), lines.join("\n")));
        }
    }
    (!sections.is_empty()).then_some(sections)
}
