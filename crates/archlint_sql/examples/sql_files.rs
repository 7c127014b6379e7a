//! Reads every `.sql` file under a directory as migrations, merges them and
//! prints the schema's size, the problems, and foreign keys without an index:
//! a manual check against real projects.
//!
//! `cargo run -p archlint_sql --example sql_files -- DIR [postgres|mysql|sqlite|generic]`

use archlint_model::{Schema, SchemaSource};
use archlint_sql::{Dialect, parse_schema};
use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "sql") {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("a directory");
    let dialect: Dialect = args
        .next()
        .map_or(Ok(Dialect::Postgres), |d| d.parse())
        .expect("dialect");
    let mut files = Vec::new();
    walk(Path::new(&root), &mut files);
    files.sort();
    let mut sources = Vec::new();
    let mut problems = 0;
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let (ops, probs) = parse_schema(&text, &rel, dialect);
        for p in &probs {
            println!(
                "problem {rel}:{}:{} {:?} {}",
                p.pos.line, p.pos.col, p.kind, p.message
            );
        }
        problems += probs.len();
        sources.push(SchemaSource::new(rel, ops));
    }
    let schema = Schema::from_sources(&sources);
    let partial = schema.tables.values().filter(|t| t.partial).count();
    let indexes: usize = schema.tables.values().map(|t| t.indexes.len()).sum();
    println!(
        "{} files, {} tables ({} partial), {} indexes, {} problems",
        files.len(),
        schema.tables.len(),
        partial,
        indexes,
        problems
    );
    for t in schema.tables.values().filter(|t| t.partial) {
        println!(
            "partial table {} first seen at {}:{}",
            t.name, t.declared_at.path, t.declared_at.span.start.line
        );
    }
    for (t, fk) in schema.foreign_keys_without_index() {
        println!(
            "unindexed fk {}({}) -> {} at {}:{}",
            t.name,
            fk.columns.join(", "),
            fk.ref_table,
            fk.declared_at.path,
            fk.declared_at.span.start.line
        );
    }
}
