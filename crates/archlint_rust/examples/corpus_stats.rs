//! Per-corpus sanity numbers: files with syntax errors or truncation, and
//! counts of functions, decorators, statements and loops.
//! Usage: `cargo run --release -p archlint_rust --example corpus_stats -- DIR...`

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in std::env::args().skip(1) {
        walk(Path::new(&d), &mut files);
    }
    let mut x = archlint_rust::RustExtractor::new();
    let (mut fns, mut decos, mut stmts, mut loops, mut imports) = (0, 0, 0, 0, 0);
    for p in &files {
        let Ok(src) = std::fs::read(p) else { continue };
        let f = x.extract(&src);
        if !f.syntax_errors.is_empty() || f.truncated {
            let first = f.syntax_errors.first().map(|s| s.start.line);
            println!(
                "{}: {} errors (first line {first:?}), truncated {}",
                p.display(),
                f.syntax_errors.len(),
                f.truncated
            );
        }
        fns += f.functions.len();
        decos += f
            .functions
            .iter()
            .map(|f| f.decorators.len())
            .sum::<usize>();
        stmts += f.functions.iter().map(|f| f.body.len()).sum::<usize>();
        loops += f.functions.iter().map(|f| f.loops.len()).sum::<usize>();
        imports += f.imports.len();
    }
    println!(
        "{} files: {fns} fns, {decos} decorators, {stmts} stmts, {loops} loops, {imports} imports",
        files.len()
    );
}
