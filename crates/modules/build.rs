//! Discovers `src/<module>/migrations/NNNN_name.sql` at build time and writes
//! `$OUT_DIR/migrations.rs`: one `(module, file, sql)` entry per file, sorted by module then
//! file. Nothing is listed by hand; adding a file re-runs this script.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let src = Path::new("src");
    println!("cargo:rerun-if-changed=src");
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut modules: Vec<_> = fs::read_dir(src)?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    modules.sort_by_key(|e| e.file_name());
    for module in modules {
        let module_name = module.file_name().to_string_lossy().into_owned();
        let dir = module.path().join("migrations");
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(files) = fs::read_dir(&dir) else { continue };
        for file in files.filter_map(Result::ok) {
            let path = file.path();
            let name = file.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".sql") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let abs = fs::canonicalize(&path)?;
            entries.push((module_name.clone(), name, abs.to_string_lossy().into_owned()));
        }
    }
    entries.sort();
    let mut out = String::from("/// Every migration file of every module folder: (module, file, sql).\n");
    out.push_str("pub(crate) static MIGRATION_FILES: &[(&str, &str, &str)] = &[\n");
    for (module, file, path) in &entries {
        writeln!(out, "    ({module:?}, {file:?}, include_str!({path:?})),")?;
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR")?;
    fs::write(Path::new(&out_dir).join("migrations.rs"), out)?;
    Ok(())
}
