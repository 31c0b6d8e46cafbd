//! The registry: every enabled module's commands and crons, validated, in `MODULES` order.

use crate::callback::{CallbackHandler, MAX_CALLBACK_DATA_BYTES};
use crate::command::{Access, Command, DynCommandHandler, Visibility};
use crate::command_list::{CommandInfo, CommandList};
use crate::config::Config;
use crate::cron::Cron;
use crate::deep_link::is_valid_prefix;
use crate::env::DynState;
use crate::event::{DynMemberHandler, DynMessageHandler};
#[cfg(not(target_arch = "wasm32"))]
use crate::migrate::check_table_prefixes;
use crate::migrate::Migration;
use crate::module::{DynInit, Module};
use crate::name_map::NameMap;
use crate::names::{is_valid_command_name, is_valid_cron_name, is_valid_module_name, utf16_len, MAX_DESCRIPTION_UNITS};
use crate::schedule::Schedule;
use crate::telegram::{BotCommand, BotCommandScope, SetMyCommands, UpdateKind};
use crate::wiring_error::WiringError;

/// A command and the module that registered it.
#[derive(Debug, Clone)]
pub struct RegisteredCommand {
    /// The module's name.
    pub module: String,
    /// The command.
    pub command: Command,
    pub(crate) module_index: usize,
}

/// A cron, its module and its parsed schedule.
#[derive(Debug, Clone)]
pub struct RegisteredCron {
    /// The module's name.
    pub module: String,
    /// The cron.
    pub cron: Cron,
    /// Its schedule, parsed.
    pub schedule: Schedule,
    pub(crate) module_index: usize,
}

impl RegisteredCron {
    /// `<module>/<name>`, the job's id in logs and on the command line.
    pub fn id(&self) -> String {
        format!("{}/{}", self.module, self.cron.name)
    }
}

/// Validated commands and crons of the enabled modules.
#[derive(Clone, Default)]
pub struct Registry {
    modules: Vec<String>,
    commands: Vec<RegisteredCommand>,
    by_name: NameMap<usize>,
    crons: Vec<RegisteredCron>,
    callbacks: NameMap<(usize, CallbackHandler)>,
    deep_links: NameMap<(usize, String, DynCommandHandler)>,
    pub(crate) text_handlers: Vec<(usize, DynMessageHandler)>,
    pub(crate) edited_handlers: Vec<(usize, DynMessageHandler)>,
    pub(crate) member_handlers: Vec<(usize, DynMemberHandler)>,
    migrations: Vec<Migration>,
    pub(crate) inits: Vec<(String, DynInit)>,
    pub(crate) states: Vec<Option<DynState>>,
    command_list: CommandList,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("modules", &self.modules)
            .field("commands", &self.commands)
            .field("crons", &self.crons)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// Validates `modules` (already in `MODULES` order) and builds the registry.
    ///
    /// Fails on the first invalid name, description, schedule, duplicate cron or command
    /// conflict, with a message naming the module and the command or cron.
    pub fn build(modules: Vec<Module>) -> Result<Self, WiringError> {
        let mut registry = Registry::default();
        for module in modules {
            registry.add(module)?;
        }
        registry.command_list = CommandList::new(
            registry
                .commands
                .iter()
                .map(|c| CommandInfo {
                    module: c.module.clone(),
                    name: c.command.name.clone(),
                    description: c.command.description.clone(),
                    visibility: c.command.visibility,
                    access: c.command.access,
                })
                .collect(),
        );
        Ok(registry)
    }

    fn add(&mut self, module: Module) -> Result<(), WiringError> {
        let name = module.name.clone();
        if !is_valid_module_name(&name) {
            return Err(WiringError::InvalidModuleName { module: name });
        }
        for command in module.commands {
            validate_command(&name, &command)?;
            if let Some(&existing) = self.by_name.get(&command.name) {
                return Err(WiringError::CommandConflict {
                    command: command.name.clone(),
                    first: self.commands[existing].module.clone(),
                    second: name,
                });
            }
            self.by_name.insert(command.name.clone(), self.commands.len());
            self.commands.push(RegisteredCommand {
                module: name.clone(),
                command,
                module_index: self.modules.len(),
            });
        }
        for callback in module.callbacks {
            let fail = |reason: &str| WiringError::InvalidCallback {
                module: name.clone(),
                callback: callback.name.clone(),
                reason: reason.to_owned(),
            };
            if !is_valid_command_name(&callback.name) {
                return Err(fail("invalid name (use a-z, 0-9 and _, 1 to 32 characters)"));
            }
            let prefix = name.len() + 1 + callback.name.len();
            if prefix >= MAX_CALLBACK_DATA_BYTES {
                return Err(fail(&format!(
                    "\"{name}:{}\" leaves no room in Telegram's {MAX_CALLBACK_DATA_BYTES} bytes of callback data",
                    callback.name
                )));
            }
            let key = format!("{name}:{}", callback.name);
            if self.callbacks.contains_key(&key) {
                return Err(fail("declared twice"));
            }
            self.callbacks.insert(key, (self.modules.len(), callback));
        }
        let index = self.modules.len();
        for (prefix, handler) in module.deep_links {
            let fail = |reason: String| WiringError::InvalidDeepLink {
                module: name.clone(),
                prefix: prefix.clone(),
                reason,
            };
            if !is_valid_prefix(&prefix) {
                return Err(fail("invalid prefix (use a-z and 0-9, 1 to 16 characters)".into()));
            }
            if let Some((_, first, _)) = self.deep_links.get(&prefix) {
                return Err(fail(format!("already claimed by module \"{first}\"")));
            }
            self.deep_links.insert(prefix, (index, name.clone(), handler));
        }
        if let Some(handler) = module.on_text {
            self.text_handlers.push((index, handler));
        }
        if let Some(handler) = module.on_edited {
            self.edited_handlers.push((index, handler));
        }
        if let Some(handler) = module.on_member {
            self.member_handlers.push((index, handler));
        }
        let mut cron_names: Vec<String> = Vec::new();
        for cron in module.crons {
            if !is_valid_cron_name(&cron.name) {
                return Err(WiringError::InvalidCron {
                    module: name,
                    cron: cron.name.clone(),
                    reason: "invalid name (use a-z, 0-9, _ and -, at most 32 characters)".into(),
                });
            }
            if cron_names.contains(&cron.name) {
                return Err(WiringError::DuplicateCron {
                    module: name,
                    cron: cron.name.clone(),
                });
            }
            let schedule = Schedule::parse(&cron.schedule).map_err(|reason| WiringError::InvalidCron {
                module: name.clone(),
                cron: cron.name.clone(),
                reason: format!("schedule {:?}: {reason}", cron.schedule),
            })?;
            cron_names.push(cron.name.clone());
            self.crons.push(RegisteredCron {
                module: name.clone(),
                cron,
                schedule,
                module_index: self.modules.len(),
            });
        }
        let mut files: Vec<&str> = Vec::new();
        for migration in &module.migrations {
            validate_migration(&name, migration, &files)?;
            // Natively a start-up check (serve applies migrations at start). The Worker skips it
            // at every isolate start (~1 ms of its first update, 3.5 KB of wasm): it never
            // applies migrations there in production (`miti99bot migrate --d1`, native, does),
            // and the migration runner refuses an unprefixed pending migration on every runtime.
            #[cfg(not(target_arch = "wasm32"))]
            check_table_prefixes(&name, migration)?;
            files.push(&migration.file);
        }
        self.migrations.extend(module.migrations);
        if let Some(init) = module.init {
            self.inits.push((name.clone(), init));
        }
        self.states.push(module.state);
        self.modules.push(name);
        Ok(())
    }

    /// Module names in `MODULES` order.
    pub fn modules(&self) -> &[String] {
        &self.modules
    }

    /// Every command in registration order (all visibilities).
    pub fn commands(&self) -> &[RegisteredCommand] {
        &self.commands
    }

    /// The command named `name` (any visibility).
    pub fn find(&self, name: &str) -> Option<&RegisteredCommand> {
        self.by_name.get(name).map(|&i| &self.commands[i])
    }

    /// Commands of one visibility, in registration order.
    pub fn with_visibility(&self, visibility: Visibility) -> impl Iterator<Item = &RegisteredCommand> {
        self.commands.iter().filter(move |c| c.command.visibility == visibility)
    }

    /// Every command, described (what `/help` renders).
    pub fn command_list(&self) -> &CommandList {
        &self.command_list
    }

    /// The default-scope menu: the public commands anyone may run, in registry order.
    pub fn menu(&self) -> Vec<BotCommand> {
        self.menu_for(Access::Anyone)
    }

    /// The public commands someone with `level` may run (an admin: anyone's and the admins';
    /// the owner: all), in registry order.
    pub fn menu_for(&self, level: Access) -> Vec<BotCommand> {
        self.with_visibility(Visibility::Public)
            .filter(|c| allows(level, c.command.access))
            .map(|c| BotCommand {
                command: c.command.name.clone(),
                description: c.command.description.clone(),
            })
            .collect()
    }

    /// Every `setMyCommands` that makes each person's menu match what they may run: the
    /// default scope (commands for anyone), each admin's private chat (plus admin commands)
    /// and the owner's (plus owner commands). A person's scope is set only when their menu
    /// differs from the default; the owner's wins over an admin's.
    pub fn menus(&self, config: &Config) -> Vec<SetMyCommands> {
        let default = self.menu();
        let mut out = vec![SetMyCommands::new(default.clone())];
        let scoped = |chat_id: i64, level: Access, out: &mut Vec<SetMyCommands>| {
            let commands = self.menu_for(level);
            if commands != default {
                out.push(SetMyCommands {
                    commands,
                    scope: Some(BotCommandScope::Chat { chat_id }),
                    language_code: None,
                });
            }
        };
        let owner = config.owner_id();
        for &admin in config.admin_ids() {
            if Some(admin) != owner {
                scoped(admin, Access::Admins, &mut out);
            }
        }
        if let Some(owner) = owner {
            scoped(owner, Access::Owner, &mut out);
        }
        out
    }

    /// Update kinds the enabled modules handle (for `allowed_updates`), in Telegram's names.
    pub fn allowed_updates(&self) -> Vec<String> {
        let mut kinds = Vec::new();
        if !self.commands.is_empty() {
            kinds.extend([UpdateKind::Message, UpdateKind::ChannelPost]);
        }
        if !self.deep_links.is_empty() {
            kinds.push(UpdateKind::Message);
        }
        if !self.text_handlers.is_empty() {
            kinds.push(UpdateKind::Message);
        }
        if !self.edited_handlers.is_empty() {
            kinds.push(UpdateKind::EditedMessage);
        }
        if !self.callbacks.is_empty() {
            kinds.push(UpdateKind::CallbackQuery);
        }
        if !self.member_handlers.is_empty() {
            kinds.push(UpdateKind::MyChatMember);
        }
        kinds.sort_unstable();
        kinds.dedup();
        kinds.into_iter().map(|k| k.as_str().to_owned()).collect()
    }

    /// The deep-link handler of `prefix`: its module's index and name.
    pub(crate) fn deep_link(&self, prefix: &str) -> Option<(usize, &str, &DynCommandHandler)> {
        self.deep_links
            .get(prefix)
            .map(|(index, module, handler)| (*index, module.as_str(), handler))
    }

    /// The handler of the callback `<module>:<name>`, with its module's index.
    pub(crate) fn callback(&self, key: &str) -> Option<(usize, &CallbackHandler)> {
        self.callbacks.get(key).map(|(index, handler)| (*index, handler))
    }

    /// Every cron, in module order.
    pub fn crons(&self) -> &[RegisteredCron] {
        &self.crons
    }

    /// The crons whose schedule string equals `schedule` exactly (Cloudflare's matching).
    pub fn crons_for(&self, schedule: &str) -> impl Iterator<Item = &RegisteredCron> {
        let schedule = schedule.to_owned();
        self.crons.iter().filter(move |c| c.cron.schedule == schedule)
    }

    /// The distinct schedules, in first-declared order (wrangler's `[triggers] crons`).
    pub fn schedules(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for cron in &self.crons {
            if !out.contains(&cron.cron.schedule) {
                out.push(cron.cron.schedule.clone());
            }
        }
        out
    }

    /// Migrations of the enabled modules, in apply order (module order of `MODULES` is not
    /// used: migrations are ordered by module name, then file).
    pub fn migrations(&self) -> Vec<Migration> {
        let mut all = self.migrations.clone();
        // Unstable is enough (module and file are unique) and keeps the stable sort out of wasm.
        all.sort_unstable_by(|a, b| (&a.module, &a.file).cmp(&(&b.module, &b.file)));
        all
    }
}

/// Whether someone with `level` may run a command open to `access`.
fn allows(level: Access, access: Access) -> bool {
    match level {
        Access::Owner => true,
        Access::Admins => access != Access::Owner,
        Access::Anyone => access == Access::Anyone,
    }
}

fn validate_command(module: &str, command: &Command) -> Result<(), WiringError> {
    let fail = |reason: &str| WiringError::InvalidCommand {
        module: module.to_owned(),
        command: command.name.clone(),
        reason: reason.to_owned(),
    };
    if command.name.starts_with('/') {
        return Err(fail("name must not start with \"/\""));
    }
    if !is_valid_command_name(&command.name) {
        return Err(fail("invalid name (use a-z, 0-9 and _, 1 to 32 characters)"));
    }
    if command.description.trim().is_empty() {
        return Err(fail("description is empty"));
    }
    let units = utf16_len(&command.description);
    if units > MAX_DESCRIPTION_UNITS {
        return Err(fail(&format!(
            "description is {units} characters, the limit is {MAX_DESCRIPTION_UNITS}"
        )));
    }
    Ok(())
}

fn validate_migration(module: &str, migration: &Migration, seen: &[&str]) -> Result<(), WiringError> {
    let fail = |reason: &str| WiringError::InvalidMigration {
        module: module.to_owned(),
        file: migration.file.clone(),
        reason: reason.to_owned(),
    };
    if migration.module != module {
        return Err(fail(&format!("belongs to module \"{}\"", migration.module)));
    }
    if !is_migration_file_name(&migration.file) {
        return Err(fail(
            "file name must be NNNN_name.sql (four digits, then a-z, 0-9, _ or -)",
        ));
    }
    if seen.contains(&migration.file.as_str()) {
        return Err(fail("declared twice"));
    }
    Ok(())
}

/// `NNNN_name.sql`: four digits, an underscore, a name of `[a-z0-9_-]`, `.sql`.
pub fn is_migration_file_name(file: &str) -> bool {
    let Some(stem) = file.strip_suffix(".sql") else {
        return false;
    };
    let bytes = stem.as_bytes();
    bytes.len() > 5
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'_'
        && bytes[5..]
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}
