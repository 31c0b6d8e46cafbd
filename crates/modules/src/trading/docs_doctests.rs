//! The guides in `docs/` as doc-tests: their `rust` blocks compile and run with
//! `cargo test -p miti99bot-modules --doc` (excerpts are `rust ignore` and checked by
//! `tests/docs_examples.rs` instead).

#[doc = include_str!("../../../../docs/adding-a-module.md")]
pub struct AddingAModule;

#[doc = include_str!("../../../../docs/using-sql.md")]
pub struct UsingSql;

#[doc = include_str!("../../../../docs/using-cron.md")]
pub struct UsingCron;

#[doc = include_str!("../../../../docs/buttons.md")]
pub struct Buttons;
