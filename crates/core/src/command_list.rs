//! The enabled commands as `/help` and the menu see them (names and descriptions, no handlers).

use std::sync::Arc;

use crate::command::{Access, Visibility};

/// One command, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandInfo {
    /// The module it belongs to.
    pub module: String,
    /// The name, without the slash.
    pub name: String,
    /// The description.
    pub description: String,
    /// Where it is listed.
    pub visibility: Visibility,
    /// Who may run it.
    pub access: Access,
}

/// Every enabled command, in `MODULES` order then declaration order. Cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandList {
    commands: Arc<[CommandInfo]>,
}

impl CommandList {
    /// A list of `commands`, in this order.
    pub fn new(commands: Vec<CommandInfo>) -> Self {
        Self {
            commands: commands.into(),
        }
    }

    /// Every command.
    pub fn iter(&self) -> impl Iterator<Item = &CommandInfo> {
        self.commands.iter()
    }

    /// The commands with `visibility`.
    pub fn with_visibility(&self, visibility: Visibility) -> impl Iterator<Item = &CommandInfo> {
        self.commands.iter().filter(move |c| c.visibility == visibility)
    }

    /// The modules that have commands, in order, each once.
    pub fn modules(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in self.commands.iter() {
            if !out.contains(&c.module.as_str()) {
                out.push(&c.module);
            }
        }
        out
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}
