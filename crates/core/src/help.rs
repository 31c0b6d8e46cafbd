//! `/help` rendering: public, then protected commands of each module, in `MODULES` order.

use crate::command::Visibility;
use crate::html::escape_html;
use crate::registry::Registry;

/// The `/help` text (Telegram HTML). Private commands never appear.
pub fn render_help(registry: &Registry) -> String {
    let mut sections = Vec::new();
    for module in registry.modules() {
        let of_module = |visibility| {
            registry
                .with_visibility(visibility)
                .filter(move |c| &c.module == module)
        };
        let mut lines = Vec::new();
        for c in of_module(Visibility::Public) {
            lines.push(format!(
                "/{} — {}",
                c.command.name(),
                escape_html(c.command.description())
            ));
        }
        for c in of_module(Visibility::Protected) {
            lines.push(format!(
                "/{} — {} (protected)",
                c.command.name(),
                escape_html(c.command.description())
            ));
        }
        if !lines.is_empty() {
            sections.push(format!("<b>{}</b>\n{}", escape_html(module), lines.join("\n")));
        }
    }
    if sections.is_empty() {
        "no commands registered".to_owned()
    } else {
        sections.join("\n\n")
    }
}
