//! Compares full extraction with bare parsing (and with parsing plus one bare
//! cursor walk) over the Python files given on the command line, files or
//! directories walked recursively:
//!
//! `cargo run --release -p archlint_python --example python_bench -- /usr/lib/python3.11`
//!
//! With `ONLY=parse|walk|extract` it runs just that mode three times, which
//! suits `valgrind --tool=callgrind` (instruction counts are steadier than
//! wall time on a busy machine).

use archlint_python::PythonExtractor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "py") {
        out.push(path.to_owned());
    }
}

/// Parse plus one full cursor walk: what "one tree walk" costs.
fn walk(parser: &mut tree_sitter::Parser, src: &[u8]) -> usize {
    let Some(tree) = parser.parse(src, None) else {
        return 0;
    };
    let mut cursor = tree.walk();
    let mut n = 0;
    loop {
        n += usize::from(cursor.node().kind_id());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return n;
            }
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    let sources: Vec<Vec<u8>> = files.iter().filter_map(|f| std::fs::read(f).ok()).collect();
    let bytes: usize = sources.iter().map(Vec::len).sum();
    let lines: usize = sources
        .iter()
        .map(|s| s.iter().filter(|&&b| b == b'\n').count())
        .sum();
    let mut x = PythonExtractor::new();
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("grammar loads");

    if let Ok(mode) = std::env::var("ONLY") {
        let t = Instant::now();
        let mut n = 0usize;
        for _ in 0..3 {
            for src in &sources {
                n += match mode.as_str() {
                    "parse" => x.parse_only(src),
                    "walk" => walk(&mut parser, src),
                    _ => x.extract(src).functions.len(),
                };
            }
        }
        println!("{mode}: {:?} ({n})", t.elapsed());
        return;
    }

    let (mut parse, mut extract) = (Duration::ZERO, Duration::ZERO);
    let mut slowest = (Duration::ZERO, 0);
    for round in 0..3 {
        for (i, src) in sources.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(x.parse_only(src));
            let p = t.elapsed();
            let t = Instant::now();
            std::hint::black_box(x.extract(src));
            let e = t.elapsed();
            if round > 0 {
                parse += p;
                extract += e;
            }
            if e > slowest.0 {
                slowest = (e, i);
            }
        }
    }
    println!("{} files, {} lines, {} bytes", sources.len(), lines, bytes);
    println!(
        "parse only: {parse:?} ({:.0} lines/s)",
        2.0 * lines as f64 / parse.as_secs_f64()
    );
    println!(
        "extract:    {extract:?} ({:.2}x parse)",
        extract.as_secs_f64() / parse.as_secs_f64()
    );
    if let Some(f) = files.get(slowest.1) {
        println!("slowest extract: {:?} {}", slowest.0, f.display());
    }
}
