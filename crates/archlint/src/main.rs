//! The `archlint` binary: parses arguments, runs the engine, writes the
//! report and sets the exit code (0 clean, 1 findings, 2 usage/config/I/O error).

mod cli;

use archlint_engine::{EngineError, Scan, ScanOptions};
use archlint_model::Level;
use clap::Parser;
use cli::{Cli, Color, Command, Common, FailOn};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

// The scan allocates many small, short-lived objects (syntax trees, facts)
// from several threads at once; mimalloc handles that far better than the
// system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INFORMATION_URI: &str = "https://github.com/archlint/archlint";

fn main() -> ExitCode {
    // A panic anywhere is an internal error with a one-line message, never a
    // backtrace; panics while analysing one file are caught by the engine and
    // reported for that file.
    std::panic::set_hook(Box::new(|_| {}));
    archlint_engine::process::disable_transparent_huge_pages();
    archlint_engine::process::purge_freed_memory_promptly();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("archlint: error: {e}");
            ExitCode::from(2)
        }
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("archlint: internal error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, EngineError> {
    match cli.command {
        Command::Scan(args) => {
            let scan = run_scan(&args.common, args.select.clone(), args.ignore.clone(), true)?;
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    args.common.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let input = scan.report_input("archlint", env!("CARGO_PKG_VERSION"), INFORMATION_URI);
            write_output(args.common.output.as_deref(), |w| match args.format {
                cli::ScanFormat::Text => archlint_report::write_text(&input, w, color),
                cli::ScanFormat::Json => archlint_report::write_json(&input, w),
                cli::ScanFormat::Sarif => archlint_report::write_sarif(&input, w),
            })?;
            let threshold = match args.fail_on {
                FailOn::Error => Level::Error,
                FailOn::Warning => Level::Warning,
                FailOn::Note => Level::Note,
            };
            let failing = scan.findings.iter().any(|f| f.level >= threshold);
            // The process ends here: freeing millions of facts one by one
            // would only delay the exit, the OS takes the memory back at once.
            std::mem::forget(scan);
            Ok(if failing && !args.exit_zero { 1 } else { 0 })
        }
        Command::Routes(args) => {
            let scan = run_scan(&args.common, Vec::new(), Vec::new(), false)?;
            let format = match args.format {
                cli::RoutesFormat::Table => archlint_report::RoutesFormat::Table,
                cli::RoutesFormat::Json => archlint_report::RoutesFormat::Json,
                cli::RoutesFormat::Csv => archlint_report::RoutesFormat::Csv,
                cli::RoutesFormat::Markdown => archlint_report::RoutesFormat::Markdown,
            };
            print_notes(&scan);
            write_output(args.common.output.as_deref(), |w| {
                archlint_report::write_routes(&scan.routes, format, w)
            })?;
            Ok(0)
        }
        Command::Schema(args) => {
            let scan = run_scan_with(&args.common, Vec::new(), Vec::new(), false, true)?;
            let format = match args.format {
                cli::SchemaFormat::Table => archlint_report::SchemaFormat::Table,
                cli::SchemaFormat::Json => archlint_report::SchemaFormat::Json,
            };
            print_notes(&scan);
            write_output(args.common.output.as_deref(), |w| {
                archlint_report::write_schema(&scan.db.schema, format, w)
            })?;
            Ok(0)
        }
        Command::Rules(args) => {
            let metas = archlint_rules::all_meta();
            write_output(None, |w| match args.format {
                cli::RulesFormat::Markdown => {
                    w.write_all(archlint_report::rules_markdown(&metas).as_bytes())
                }
                cli::RulesFormat::Json => {
                    let v: Vec<serde_json::Value> = metas
                        .iter()
                        .map(|m| {
                            serde_json::json!({
                                "id": m.id, "pack": m.pack, "name": m.name,
                                "level": m.default_level.as_str(), "summary": m.summary,
                                "tags": m.tags, "precision": m.precision,
                            })
                        })
                        .collect();
                    let mut s = serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?;
                    s.push('\n');
                    w.write_all(s.as_bytes())
                }
                cli::RulesFormat::Text => {
                    let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
                    writeln!(w, "{:<6} {:<width$} {:<8} SUMMARY", "PACK", "RULE", "LEVEL")?;
                    for m in &metas {
                        writeln!(
                            w,
                            "{:<6} {:<width$} {:<8} {}",
                            m.pack,
                            m.id,
                            m.default_level.as_str(),
                            m.summary
                        )?;
                    }
                    Ok(())
                }
            })?;
            Ok(0)
        }
        Command::Explain { rule } => {
            let metas = archlint_rules::all_meta();
            let Some(m) = metas.iter().find(|m| m.id == rule) else {
                let known: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
                return Err(EngineError::Usage(format!(
                    "unknown rule `{rule}`; known rules: {}",
                    known.join(", ")
                )));
            };
            write_output(None, |w| {
                writeln!(
                    w,
                    "# {}  ({}, default level {})\n",
                    m.id,
                    m.name,
                    m.default_level.as_str()
                )?;
                writeln!(w, "{}\n", m.summary)?;
                w.write_all(m.docs.as_bytes())
            })?;
            Ok(0)
        }
    }
}

/// `routes` and `schema` have no place for notifications in their output:
/// files skipped or only partly parsed are listed on stderr, so the listing
/// on stdout stays what it was and the user still learns what was not read.
fn print_notes(scan: &Scan) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for n in &scan.notifications {
        let _ = writeln!(err, "{}", archlint_report::notification_line(n));
    }
}

fn run_scan(
    common: &Common,
    select: Vec<String>,
    ignore: Vec<String>,
    run_rules: bool,
) -> Result<Scan, EngineError> {
    run_scan_with(common, select, ignore, run_rules, false)
}

fn run_scan_with(
    common: &Common,
    select: Vec<String>,
    ignore: Vec<String>,
    run_rules: bool,
    build_db: bool,
) -> Result<Scan, EngineError> {
    let opts = ScanOptions {
        build_db,
        paths: common.paths.clone(),
        config: common.config.clone(),
        threads: common.threads.map(usize::from).unwrap_or(0),
        project_root: common.project_root.clone(),
        select,
        ignore,
        run_rules,
    };
    let bar = if common.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} files {wide_bar} {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    };
    let progress = |total: usize| {
        bar.set_length(total as u64);
        bar.inc(1);
    };
    let result = archlint_engine::scan(&opts, &progress);
    bar.finish_and_clear();
    result
}

/// Writes to `-o FILE` or standard output; I/O errors become exit-2 errors naming the file.
fn write_output(
    path: Option<&std::path::Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), EngineError> {
    let res = match path {
        Some(p) => std::fs::File::create(p).and_then(|file| {
            let mut w = std::io::BufWriter::new(file);
            f(&mut w)?;
            w.flush()
        }),
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match f(&mut w).and_then(|_| w.flush()) {
                // A closed pipe (`| head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    };
    res.map_err(|e| EngineError::Io {
        path: path
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| "<stdout>".into()),
        message: format!("cannot write output: {e}"),
    })
}
