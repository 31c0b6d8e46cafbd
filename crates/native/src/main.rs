//! `miti99bot`: the native binary. See `miti99bot --help`.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use miti99bot_native::cli::Cli;

/// mimalloc instead of glibc's malloc: under the 64-chat load, glibc's malloc, free and
/// consolidation were about a quarter of the server's CPU samples (perf, docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    miti99bot_native::logging::init();
    match cli.run().await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
