//! Times full extraction against bare tree-sitter parsing over every `.rs`
//! file under the given directories (3 rounds, one thread).
//! Usage: `cargo run --release -p archlint_rust --example bench -- DIR...`
//! With `BENCH_ONLY=parse` or `BENCH_ONLY=extract`, runs only that side once,
//! for `perf stat` on a busy machine where wall times are noisy.

use std::path::Path;
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && let Ok(bytes) = std::fs::read(&p)
        {
            out.push(bytes);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in std::env::args().skip(1) {
        walk(Path::new(&d), &mut files);
    }
    let lines: usize = files
        .iter()
        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
        .sum();
    let mut x = archlint_rust::RustExtractor::new();
    match std::env::var("BENCH_ONLY").as_deref() {
        Ok("parse") => {
            return println!(
                "{} nodes",
                files.iter().map(|f| x.parse_only(f)).sum::<usize>()
            );
        }
        Ok("extract") => {
            return println!(
                "{} fns",
                files
                    .iter()
                    .map(|f| x.extract(f).functions.len())
                    .sum::<usize>()
            );
        }
        _ => {}
    }
    for round in 0..3 {
        let t = Instant::now();
        let nodes: usize = files.iter().map(|f| x.parse_only(f)).sum();
        let parse = t.elapsed();
        let t = Instant::now();
        let fns: usize = files.iter().map(|f| x.extract(f).functions.len()).sum();
        let extract = t.elapsed();
        println!(
            "round {round}: {} files, {lines} lines, {nodes} nodes, {fns} fns; parse {parse:?} ({:.0} lines/s); extract {extract:?}; ratio {:.3}",
            files.len(),
            lines as f64 / parse.as_secs_f64(),
            extract.as_secs_f64() / parse.as_secs_f64()
        );
    }
}
