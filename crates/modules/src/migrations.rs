//! The migration files `build.rs` discovered.

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
