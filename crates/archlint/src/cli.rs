//! Command-line arguments. Names here are a stable interface: later work
//! extends them, never renames them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "archlint", version, about = "Static architecture analyzer for backend services", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse code and print findings.
    Scan(ScanArgs),
    /// Print the route inventory: method, path, handler, location, framework, auth, rate limit.
    Routes(RoutesArgs),
    /// Print the merged database schema (tables, columns, keys, indexes) with where each part was declared.
    Schema(SchemaArgs),
    /// List every rule with its pack, id, default level and summary.
    Rules(RulesArgs),
    /// Print a rule's full documentation.
    Explain {
        /// Rule id, e.g. api/unauthenticated-endpoint.
        rule: String,
    },
}

/// Options shared by commands that scan.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Files or directories to analyse.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: archlint.toml, .archlint.toml or pyproject.toml [tool.archlint]).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Directory that reported paths are relative to (default: the git work tree, else the current
    /// directory). A scanned path outside it is reported under its own directory name (`svc/app.py`).
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,
    /// Write the output to FILE instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Only these rules or packs (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Skip these rules or packs (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding at or above this level is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit with 0 even when findings are reported (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Args, Debug)]
pub struct RoutesArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RoutesFormat::Table)]
    pub format: RoutesFormat,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SchemaFormat::Table)]
    pub format: SchemaFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format (markdown is docs/rules.md).
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanFormat {
    Text,
    Json,
    Sarif,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutesFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}
