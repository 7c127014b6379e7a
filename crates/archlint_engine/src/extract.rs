//! Reading and extracting one file: size, binary and encoding checks, the
//! language extractor under `catch_unwind`, and the notifications that say
//! what was skipped or only partly analysed. One extractor per worker thread.

use crate::discover::Discovered;
use archlint_model::{FileFacts, Language, Level, Notification, NotificationKind};
use archlint_python::PythonExtractor;
use archlint_rust::RustExtractor;
use std::cell::RefCell;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static PYTHON: RefCell<Option<PythonExtractor>> = const { RefCell::new(None) };
    static RUST: RefCell<Option<RustExtractor>> = const { RefCell::new(None) };
}

/// What analysing one file produced.
pub struct FileOutcome {
    pub facts: Option<FileFacts>,
    pub bytes: u64,
    pub notifications: Vec<Notification>,
}

/// How much of a file to look at for NUL bytes when deciding it is binary.
const BINARY_SNIFF: usize = 8192;

/// Reads and extracts `file`. `rel` is the path shown to the user.
pub fn analyse(file: &Discovered, rel: &str, max_size: u64) -> FileOutcome {
    let mut out = FileOutcome {
        facts: None,
        bytes: 0,
        notifications: Vec::new(),
    };
    let note = |kind, level, message: String| Notification {
        kind,
        level,
        path: Some(rel.to_string()),
        span: None,
        message,
    };
    let bytes = match read_for_analysis(&file.abs, max_size) {
        Ok(b) => b,
        Err((kind, level, message)) => {
            out.notifications.push(note(kind, level, message));
            return out;
        }
    };
    out.bytes = bytes.len() as u64;
    if looks_binary(&bytes) {
        out.notifications.push(note(
            NotificationKind::Binary,
            Level::Note,
            BINARY_NOTE.into(),
        ));
        return out;
    }
    if std::str::from_utf8(&bytes).is_err() {
        out.notifications.push(note(
            NotificationKind::NotUtf8,
            Level::Warning,
            "not valid UTF-8: analysed with invalid bytes replaced".into(),
        ));
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        if crate::guard::injected(rel) {
            panic!("injected test panic");
        }
        let mut facts = extract(file.language, &bytes);
        archlint_model::visit::shrink_facts(&mut facts);
        facts
    }));
    match result {
        Ok(facts) => {
            if let Some(first) = facts.syntax_errors.first() {
                let mut n = note(
                    NotificationKind::SyntaxError,
                    Level::Note,
                    format!(
                        "syntax error at line {}: analysed the parts that parse ({} error region{})",
                        first.start.line,
                        facts.syntax_errors.len(),
                        if facts.syntax_errors.len() == 1 {
                            ""
                        } else {
                            "s"
                        }
                    ),
                );
                n.span = Some(*first);
                out.notifications.push(n);
            }
            if facts.truncated {
                out.notifications.push(note(
                    NotificationKind::Truncated,
                    Level::Note,
                    "nesting too deep: the innermost code was not analysed".into(),
                ));
            }
            out.facts = Some(facts);
        }
        Err(payload) => {
            // The extractor may be left in a bad state: drop it, the next file gets a fresh one.
            reset(file.language);
            let msg = crate::guard::message(payload.as_ref());
            out.notifications.push(note(
                NotificationKind::Panic,
                Level::Error,
                format!("internal error while analysing this file (skipped): {msg}"),
            ));
        }
    }
    out
}

/// Test seam: makes the analysis of every file whose path contains `needle`
/// panic, so tests can prove a panic is contained to its file. Set once per
/// process (see [`crate::guard::inject_panics_for_tests`]).
#[doc(hidden)]
pub fn inject_panic_for_tests(needle: &str) {
    crate::guard::inject_panics_for_tests(&[needle]);
}

/// Why a file is skipped: its notification's kind, level and message.
pub(crate) type Skip = (NotificationKind, Level, String);

/// What a file skipped as binary says.
pub(crate) const BINARY_NOTE: &str = "skipped: binary content";

/// A file's bytes (source or `.sql`), or why it is skipped: larger than
/// `max`, or unreadable.
pub(crate) fn read_for_analysis(path: &std::path::Path, max: u64) -> Result<Vec<u8>, Skip> {
    match read_limited(path, max) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err((
            NotificationKind::TooLarge,
            Level::Note,
            format!("skipped: larger than the {max}-byte limit (max-file-size)"),
        )),
        Err(e) => Err((
            NotificationKind::Unreadable,
            Level::Warning,
            format!("skipped: cannot read ({})", e.kind()),
        )),
    }
}

/// Whether the start of a file shows binary content (a NUL byte).
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0)
}

/// Reads a file unless it is larger than `max`: `Ok(None)` when too large.
fn read_limited(path: &std::path::Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len > max {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(len as usize);
    // `take` guards against a file that grows while we read it.
    f.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Ok(None);
    }
    Ok(Some(buf))
}

fn extract(language: Language, bytes: &[u8]) -> FileFacts {
    match language {
        Language::Python => PYTHON.with(|cell| {
            let mut slot = cell.borrow_mut();
            slot.get_or_insert_with(PythonExtractor::new).extract(bytes)
        }),
        Language::Rust => RUST.with(|cell| {
            let mut slot = cell.borrow_mut();
            slot.get_or_insert_with(RustExtractor::new).extract(bytes)
        }),
    }
}

/// Bare tree-sitter parse, for the benchmark's baseline.
pub fn parse_only(language: Language, bytes: &[u8]) -> usize {
    match language {
        Language::Python => PYTHON.with(|cell| {
            let mut slot = cell.borrow_mut();
            slot.get_or_insert_with(PythonExtractor::new)
                .parse_only(bytes)
        }),
        Language::Rust => RUST.with(|cell| {
            let mut slot = cell.borrow_mut();
            slot.get_or_insert_with(RustExtractor::new)
                .parse_only(bytes)
        }),
    }
}

fn reset(language: Language) {
    // `try_borrow_mut`: the panic may have unwound through a live borrow.
    match language {
        Language::Python => PYTHON.with(|c| {
            if let Ok(mut s) = c.try_borrow_mut() {
                *s = None;
            }
        }),
        Language::Rust => RUST.with(|c| {
            if let Ok(mut s) = c.try_borrow_mut() {
                *s = None;
            }
        }),
    }
}
