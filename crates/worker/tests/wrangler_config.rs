//! `wrangler.toml` must agree with the modules: its cron triggers are exactly the schedules the
//! modules declare (Cloudflare fires only listed triggers, and a listed trigger no module
//! declares fires into nothing), and its `MODULES` names modules the catalog knows.

#![allow(clippy::panic)]

use miti99bot_core::bot::select_modules;
use miti99bot_core::{Config, Registry};
use miti99bot_modules::{catalog, default_module_list};

fn wrangler() -> toml::Table {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/wrangler.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn registry_of(modules: &str) -> Registry {
    let config = Config::from_vars([("MODULES", modules)]).unwrap_or_else(|e| panic!("{e}"));
    let modules = select_modules(&catalog(), &config).unwrap_or_else(|e| panic!("{e}"));
    Registry::build(modules).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn cron_triggers_equal_the_declared_schedules() {
    let config = wrangler();
    let mut triggers = strings(config.get("triggers").and_then(|t| t.get("crons")));
    let mut declared = registry_of(&default_module_list()).schedules();
    triggers.sort();
    declared.sort();
    assert_eq!(
        triggers, declared,
        "wrangler.toml [triggers] crons must equal the union of the modules' schedules"
    );
}

#[test]
fn modules_var_names_catalog_modules_and_covers_every_cron() {
    let config = wrangler();
    let modules = config
        .get("vars")
        .and_then(|v| v.get("MODULES"))
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("wrangler.toml has no [vars] MODULES"));
    let enabled = registry_of(modules);
    let mut enabled_schedules = enabled.schedules();
    let mut all = registry_of(&default_module_list()).schedules();
    enabled_schedules.sort();
    all.sort();
    assert_eq!(
        enabled_schedules, all,
        "a trigger would fire for a module MODULES leaves out"
    );
}

#[test]
fn bindings_are_kv_and_db() {
    let config = wrangler();
    let kv = config.get("kv_namespaces").and_then(toml::Value::as_array);
    assert!(kv.is_some_and(|a| a
        .iter()
        .any(|b| b.get("binding").and_then(toml::Value::as_str) == Some("KV"))));
    let d1 = config.get("d1_databases").and_then(toml::Value::as_array);
    assert!(d1.is_some_and(|a| a
        .iter()
        .any(|b| b.get("binding").and_then(toml::Value::as_str) == Some("DB"))));
}
