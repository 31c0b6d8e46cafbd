//! `wrangler.toml` has the bindings the Worker reads. Its `MODULES` and `[triggers] crons` are
//! written from the module catalog by `miti99bot wrangler`; `crates/native/tests/wrangler_cli.rs`
//! runs `miti99bot wrangler --check` on this file (and CI runs it too), failing with the command
//! to run when a module's cron or name is missing.

#![allow(clippy::panic)]

fn wrangler() -> toml::Table {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/wrangler.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.parse().unwrap_or_else(|e| panic!("{path}: {e}"))
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
