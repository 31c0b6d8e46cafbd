//! Every wiring error stops start-up with a message naming the module and the command.
#![allow(clippy::unwrap_used)]

mod common;

use common::start;
use miti99bot_core::bot::select_modules;
use miti99bot_core::migrate::Migration;
use miti99bot_core::{Catalog, Command, Config, ConfigError, Cron, Error, Module, WiringError};

fn noop_cmd(name: &str, description: &str) -> Command {
    Command::public(name, description, |_ctx| async { Ok(()) })
}

fn module_a(_: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("a").command(noop_cmd("foo", "A foo")))
}
fn module_b(_: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("b").command(noop_cmd("bar", "B bar")))
}
fn liar(_: &Config) -> Result<Module, ConfigError> {
    Ok(Module::new("other"))
}
/// Refuses its configuration unless `PICKY_LEVEL` is a number; sees no runtime secret.
fn picky(config: &Config) -> Result<Module, ConfigError> {
    assert_eq!(
        config.get("TELEGRAM_BOT_TOKEN"),
        None,
        "a module must never see the token"
    );
    match config.get("PICKY_LEVEL").map(str::parse::<u8>) {
        Some(Ok(_)) => Ok(Module::new("picky")),
        _ => Err(ConfigError {
            name: "PICKY_LEVEL".into(),
            reason: "must be a number".into(),
        }),
    }
}

fn catalog() -> Catalog {
    Catalog::new()
        .with("a", module_a)
        .with("b", module_b)
        .with("liar", liar)
        .with("picky", picky)
}

#[test]
fn a_constructor_refusing_its_configuration_stops_start_up_naming_the_variable() {
    let bad = Config::from_vars([
        ("MODULES", "picky"),
        ("TELEGRAM_BOT_TOKEN", "1:x"),
        ("PICKY_LEVEL", "high"),
    ])
    .unwrap();
    let error = select_modules(&catalog(), &bad).err().map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("module \"picky\": PICKY_LEVEL: must be a number")
    );
    let good = Config::from_vars([
        ("MODULES", "picky"),
        ("TELEGRAM_BOT_TOKEN", "1:x"),
        ("PICKY_LEVEL", "3"),
    ])
    .unwrap();
    assert_eq!(select_modules(&catalog(), &good).map(|m| m.len()).ok(), Some(1));
}

fn config(modules: &str) -> Config {
    Config::from_vars([("MODULES", modules)]).unwrap()
}

async fn error_of(modules: Vec<Module>) -> String {
    start(modules, &[])
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "started".into())
}

#[test]
fn modules_selects_and_orders() {
    let names: Vec<String> = select_modules(&catalog(), &config(" b , a,b "))
        .unwrap()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(names, ["b", "a"]);
}

#[test]
fn modules_unset_means_every_catalog_module_in_catalog_order() {
    let honest = Catalog::new().with("b", module_b).with("a", module_a);
    let names: Vec<String> = select_modules(&honest, &Config::default())
        .unwrap()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(names, honest.names());
    // Set but blank reads as unset (`MODULES=` in a .env file).
    assert_eq!(select_modules(&honest, &config("  ")).unwrap().len(), 2);
}

#[test]
fn modules_errors() {
    let err = |m: &str| select_modules(&catalog(), &config(m)).unwrap_err().to_string();
    assert_eq!(err(",,"), "MODULES env var is empty after trim/dedupe");
    assert!(err("a,nope").starts_with("unknown module: nope"), "{}", err("a,nope"));
    assert_eq!(err("liar"), "module \"liar\" has mismatched name \"other\"");
}

#[tokio::test]
async fn invalid_names_and_descriptions_name_module_and_command() {
    assert_eq!(
        error_of(vec![Module::new("Bad")]).await,
        "module \"Bad\": invalid module name (use a-z, 0-9, _ and -, at most 32 characters)"
    );
    let e = error_of(vec![Module::new("m").command(noop_cmd("Help", "x"))]).await;
    assert!(e.starts_with("module \"m\" command \"Help\": invalid name"), "{e}");
    let e = error_of(vec![Module::new("m").command(noop_cmd("/help", "x"))]).await;
    assert_eq!(e, "module \"m\" command \"/help\": name must not start with \"/\"");
    let e = error_of(vec![Module::new("m").command(noop_cmd(&"a".repeat(33), "x"))]).await;
    assert!(e.contains("invalid name"), "{e}");
    let e = error_of(vec![Module::new("m").command(noop_cmd("help", "  "))]).await;
    assert_eq!(e, "module \"m\" command \"help\": description is empty");
    let e = error_of(vec![Module::new("m").command(noop_cmd("help", &"é".repeat(257)))]).await;
    assert_eq!(
        e,
        "module \"m\" command \"help\": description is 257 characters, the limit is 256"
    );
    // 128 emoji are 256 UTF-16 units: accepted.
    assert_eq!(
        error_of(vec![Module::new("m").command(noop_cmd("help", &"😀".repeat(128)))]).await,
        "started"
    );
    assert!(
        error_of(vec![Module::new("m").command(noop_cmd("help", &"😀".repeat(129)))])
            .await
            .contains("258")
    );
}

#[tokio::test]
async fn conflicts_across_modules_and_visibilities() {
    let e = error_of(vec![
        Module::new("a").command(noop_cmd("foo", "x")),
        Module::new("b").command(Command::private("foo", "y", |_| async { Ok(()) })),
    ])
    .await;
    assert_eq!(e, "command conflict: /foo registered by both \"a\" and \"b\"");
    let e = error_of(vec![Module::new("a")
        .command(noop_cmd("foo", "x"))
        .command(Command::protected("foo", "y", |_| async { Ok(()) }))])
    .await;
    assert_eq!(e, "command conflict: /foo registered by both \"a\" and \"a\"");
}

#[tokio::test]
async fn cron_errors() {
    let cron = |name: &str, schedule: &str| Cron::new(name, schedule, |_| async { Ok(()) });
    let e = error_of(vec![Module::new("m")
        .cron(cron("job", "0 17 * * *"))
        .cron(cron("job", "0 1 * * *"))])
    .await;
    assert_eq!(e, "module \"m\" has duplicate cron name \"job\"");
    let e = error_of(vec![Module::new("m").cron(cron("Bad Name", "* * * * *"))]).await;
    assert!(e.starts_with("module \"m\" cron \"Bad Name\": invalid name"), "{e}");
    let e = error_of(vec![Module::new("m").cron(cron("job", "* * * *"))]).await;
    assert!(
        e.starts_with("module \"m\" cron \"job\": schedule \"* * * *\": expected 5 fields"),
        "{e}"
    );
    let e = error_of(vec![Module::new("m").cron(cron("job", "61 * * * *"))]).await;
    assert!(e.contains("minute: 61 is outside 0-59"), "{e}");
    // The same cron name in two modules is fan-out, not a conflict.
    let ok = start(
        vec![
            Module::new("a").cron(cron("job", "0 17 * * *")),
            Module::new("b").cron(cron("job", "0 17 * * *")),
        ],
        &[],
    )
    .await;
    assert_eq!(ok.unwrap().registry().schedules(), ["0 17 * * *"]);
}

#[tokio::test]
async fn migration_file_names_are_checked() {
    let e = error_of(vec![
        Module::new("m").migrations([Migration::new("m", "init.sql", "SELECT 1")])
    ])
    .await;
    assert!(
        e.starts_with("module \"m\" migration \"init.sql\": file name must be NNNN_name.sql"),
        "{e}"
    );
    let e = error_of(vec![Module::new("m").migrations([Migration::new(
        "x",
        "0001_a.sql",
        "SELECT 1",
    )])])
    .await;
    assert_eq!(e, "module \"m\" migration \"0001_a.sql\": belongs to module \"x\"");
}

#[tokio::test]
async fn init_runs_in_order_with_prefixed_kv_and_failures_stop_startup() {
    let (services, kv) = common::services(&[]);
    let modules = vec![
        Module::new("a").init(|ctx| async move {
            ctx.kv().put("sentinel", "1").await?;
            Ok(())
        }),
        Module::new("b").init(|ctx| async move {
            let seen = ctx.kv().get("sentinel").await?;
            assert!(seen.is_none(), "b must not see a's keys");
            Ok(())
        }),
    ];
    miti99bot_core::Bot::from_modules(modules, services).await.unwrap();
    assert_eq!(kv.raw("a:sentinel").as_deref(), Some("1"));

    let e = error_of(vec![Module::new("boom").init(|_| async { Err(Error::msg("no table")) })]).await;
    assert_eq!(e, "module \"boom\" init failed: no table");
    assert!(matches!(
        start(vec![Module::new("boom").init(|_| async { Err(Error::msg("x")) })], &[]).await,
        Err(WiringError::InitFailed { .. })
    ));
}
