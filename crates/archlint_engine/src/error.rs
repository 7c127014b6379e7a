//! Errors that stop a scan before it starts: bad arguments, bad config, a
//! path that does not exist. Problems with single files are notifications, not errors.

use std::fmt;
use std::path::PathBuf;

/// An error the CLI reports with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}", config_display(.path, *.line, .message))]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("{}: {message}", .path.display())]
    Io { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
}

fn config_display(path: &std::path::Path, line: Option<usize>, message: &str) -> impl fmt::Display {
    match line {
        Some(l) => format!("invalid config {}:{l}: {message}", path.display()),
        None => format!("invalid config {}: {message}", path.display()),
    }
}
