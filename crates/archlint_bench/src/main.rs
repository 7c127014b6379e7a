//! `archlint-bench`: measures a full scan against a bare tree-sitter parse of
//! the same files, on real code fetched at benchmark time.
//!
//! Each measurement runs in a fresh child process so its peak memory
//! (`VmHWM`) is its own; modes alternate run by run so machine drift hits
//! both alike; the report gives medians and the scan/parse ratio.
//!
//! Usage: archlint-bench [--tier TIER | PATH...] [--threads N] [--runs N]
//! (`--tier` calls `../shared/corpus/fetch-corpus TIER`, or `$ARCHLINT_FETCH_CORPUS`).

use archlint_engine::{ScanOptions, discover, extract};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

// Same allocator as the archlint binary, so both modes are measured alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Serialize, Deserialize, Clone, Copy, Debug)]
struct Sample {
    millis: f64,
    /// User plus system CPU time of the child, all threads.
    cpu_millis: f64,
    peak_kib: u64,
    files: usize,
    bytes: u64,
    lines: u64,
    findings: usize,
    routes: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let mut tier = None;
    let mut threads = 2usize;
    let mut runs = 5usize;
    let mut paths: Vec<String> = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tier" => tier = it.next(),
            "--threads" => {
                threads = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "-h" | "--help" => {
                println!("usage: archlint-bench [--tier TIER | PATH...] [--threads N] [--runs N]");
                return;
            }
            s if s.starts_with('-') => usage(),
            _ => paths.push(a),
        }
    }
    if let Some(t) = &tier {
        paths.extend(fetch(t));
    }
    if paths.is_empty() || threads == 0 || runs == 0 {
        usage();
    }
    let exe = std::env::current_exe().expect("own path");
    let measure = |mode: &str| -> Sample {
        let out = Command::new(&exe)
            .arg("--child")
            .arg(mode)
            .arg(threads.to_string())
            .args(&paths)
            .output()
            .expect("child runs");
        if !out.status.success() {
            eprintln!(
                "{mode} run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::process::exit(1);
        }
        serde_json::from_slice(&out.stdout).expect("child prints a sample")
    };
    let mut parse = Vec::new();
    let mut scan = Vec::new();
    // One warm-up of each so the page cache holds the files for every timed run.
    measure("parse");
    measure("scan");
    for i in 0..runs {
        if i % 2 == 0 {
            parse.push(measure("parse"));
            scan.push(measure("scan"));
        } else {
            scan.push(measure("scan"));
            parse.push(measure("parse"));
        }
    }
    // Lines come from the parse runs (the scan keeps no sources); files and bytes agree.
    let s = Sample {
        lines: parse[0].lines,
        ..scan[0]
    };
    let med = |v: &[Sample], f: fn(&Sample) -> f64| {
        let mut xs: Vec<f64> = v.iter().map(f).collect();
        xs.sort_by(|a, b| a.total_cmp(b));
        xs[xs.len() / 2]
    };
    let (pm, sm) = (med(&parse, |x| x.millis), med(&scan, |x| x.millis));
    let (pk, sk) = (
        med(&parse, |x| x.peak_kib as f64),
        med(&scan, |x| x.peak_kib as f64),
    );
    let mb = s.bytes as f64 / 1e6;
    println!(
        "corpus: {} paths, {} files, {:.1} MB, {} lines",
        paths.len(),
        s.files,
        mb,
        s.lines
    );
    println!("threads: {threads}, runs: {runs} (medians)");
    let (pc, sc) = (med(&parse, |x| x.cpu_millis), med(&scan, |x| x.cpu_millis));
    println!(
        "{:<12} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "mode", "ms", "cpu ms", "files/s", "MB/s", "lines/s", "peak MiB"
    );
    for (name, ms, cpu, kib) in [("bare parse", pm, pc, pk), ("full scan", sm, sc, sk)] {
        println!(
            "{:<12} {:>10.0} {:>10.0} {:>10.0} {:>10.1} {:>12.0} {:>12.1}",
            name,
            ms,
            cpu,
            s.files as f64 / (ms / 1000.0),
            mb / (ms / 1000.0),
            s.lines as f64 / (ms / 1000.0),
            kib / 1024.0
        );
    }
    println!(
        "ratio full scan / bare parse: {:.2}x wall clock, {:.2}x CPU time",
        sm / pm,
        sc / pc
    );
    // The same ratio run by run (each scan against the parse run next to it),
    // to show how much the machine varied.
    let mut pairs: Vec<f64> = scan
        .iter()
        .zip(&parse)
        .map(|(a, b)| a.millis / b.millis)
        .collect();
    pairs.sort_by(|a, b| a.total_cmp(b));
    println!(
        "per-run wall-clock ratios: min {:.2}x, median {:.2}x, max {:.2}x",
        pairs[0],
        pairs[pairs.len() / 2],
        pairs[pairs.len() - 1]
    );
    println!("full scan: {} routes, {} findings", s.routes, s.findings);
}

fn usage() -> ! {
    eprintln!("usage: archlint-bench [--tier TIER | PATH...] [--threads N] [--runs N]");
    std::process::exit(2);
}

/// Fetches a corpus tier and returns the unpacked package directories.
fn fetch(tier: &str) -> Vec<String> {
    let script = std::env::var("ARCHLINT_FETCH_CORPUS").unwrap_or_else(|_| {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        here.join("../../../shared/corpus/fetch-corpus")
            .to_string_lossy()
            .into_owned()
    });
    let out = Command::new(&script)
        .arg(tier)
        .output()
        .unwrap_or_else(|e| {
            eprintln!("cannot run {script}: {e}");
            std::process::exit(2)
        });
    if !out.status.success() {
        eprintln!(
            "{script} {tier} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::process::exit(2);
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn child(args: &[String]) {
    // Both modes run with the process settings of the archlint binary.
    archlint_engine::process::disable_transparent_huge_pages();
    archlint_engine::process::purge_freed_memory_promptly();
    let mode = args[0].as_str();
    let threads: usize = args[1].parse().unwrap_or(2);
    let paths: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
    let start = Instant::now();
    let sample = match mode {
        "parse" => bare_parse(&paths, threads),
        _ => full_scan(&paths, threads),
    };
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let out = Sample {
        millis,
        cpu_millis: cpu_millis(),
        peak_kib: peak_kib(),
        ..sample
    };
    println!("{}", serde_json::to_string(&out).unwrap_or_default());
}

/// Discovery, reading and tree-sitter parsing only: the floor a scan cannot beat.
fn bare_parse(paths: &[PathBuf], threads: usize) -> Sample {
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let excludes: Vec<String> = discover::DEFAULT_EXCLUDES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let set = discover::exclude_set(&excludes).expect("default excludes are valid");
    let found = discover::discover(&roots, &set, threads, &|p| p.display().to_string());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let (bytes, lines) = pool.install(|| {
        found
            .files
            .par_iter()
            .map(|f| {
                let Ok(b) = std::fs::read(&f.abs) else {
                    return (0, 0);
                };
                if b.len() as u64 > archlint_engine::config::DEFAULT_MAX_FILE_SIZE {
                    return (0, 0);
                }
                let lines = b.iter().filter(|&&c| c == b'\n').count() as u64;
                std::hint::black_box(extract::parse_only(f.language, &b));
                (b.len() as u64, lines)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    Sample {
        millis: 0.0,
        cpu_millis: 0.0,
        peak_kib: 0,
        files: found.files.len(),
        bytes,
        lines,
        findings: 0,
        routes: 0,
    }
}

fn full_scan(paths: &[PathBuf], threads: usize) -> Sample {
    let opts = ScanOptions {
        paths: paths.to_vec(),
        threads,
        run_rules: true,
        ..Default::default()
    };
    let s = archlint_engine::scan(&opts, &|_| {}).unwrap_or_else(|e| {
        eprintln!("scan failed: {e}");
        std::process::exit(1)
    });
    let lines = 0; // counted by the parse mode; the scan does not keep sources
    let sample = Sample {
        millis: 0.0,
        cpu_millis: 0.0,
        peak_kib: 0,
        files: s.files_scanned + s.files_skipped,
        bytes: s.bytes,
        lines,
        findings: s.findings.len(),
        routes: s.routes.len(),
    };
    // As the CLI does: the process ends, so the facts are not freed one by one.
    std::mem::forget(s);
    sample
}

/// User plus system CPU time of this process so far (Linux `/proc/self/stat`,
/// in clock ticks of 10 ms), 0 elsewhere.
fn cpu_millis() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the parenthesised command name: utime and stime are
            // the 12th and 13th of them.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks * 10.0)
        })
        .unwrap_or(0.0)
}

/// Peak resident set size of this process (Linux `VmHWM`), 0 elsewhere.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
