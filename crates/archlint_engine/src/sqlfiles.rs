//! `.sql` files: read in parallel and parsed into schema sources by
//! archlint_sql; statements that do not parse become notifications with
//! their position. Down migrations are skipped: they undo, they do not declare.

use crate::extract;
use archlint_model::{
    Dialect, Level, Notification, NotificationKind, SchemaSource, Span, schema::is_down_migration,
};
use rayon::prelude::*;
use std::path::PathBuf;

/// Parses every `(absolute path, display path)` pair.
pub fn read_sql_files(
    files: &[(PathBuf, String)],
    max_size: u64,
    dialect: Dialect,
) -> (Vec<SchemaSource>, Vec<Notification>) {
    let results: Vec<(Option<SchemaSource>, Vec<Notification>)> = files
        .par_iter()
        .map(|(abs, rel)| {
            if is_down_migration(rel) {
                return (None, Vec::new());
            }
            let note = |kind, level, message: String, span: Option<Span>| Notification {
                kind,
                level,
                path: Some(rel.clone()),
                span,
                message,
            };
            let bytes = match extract::read_for_analysis(abs, max_size) {
                Ok(b) => b,
                Err((kind, level, message)) => {
                    return (None, vec![note(kind, level, message, None)]);
                }
            };
            if extract::looks_binary(&bytes) {
                let msg = extract::BINARY_NOTE.to_string();
                return (
                    None,
                    vec![note(NotificationKind::Binary, Level::Note, msg, None)],
                );
            }
            // The plain check is much faster than the lossy decoder on valid text.
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(&bytes),
            };
            // sqlparser is third-party code fed with the project's text: a
            // panic in it costs this file only.
            let parsed = crate::guard::run(rel, || archlint_sql::parse_schema(&text, rel, dialect));
            let (ops, problems) = match parsed {
                Ok(parsed) => parsed,
                Err(msg) => {
                    let msg =
                        format!("internal error while parsing this SQL file (skipped): {msg}");
                    return (
                        None,
                        vec![crate::guard::notification(Some(rel.clone()), msg)],
                    );
                }
            };
            let notes = problems
                .into_iter()
                .map(|p| {
                    let span = Span::new(p.pos, p.pos);
                    note(
                        NotificationKind::SqlParse,
                        Level::Note,
                        format!("SQL statement not understood (skipped): {}", p.message),
                        Some(span),
                    )
                })
                .collect();
            (Some(SchemaSource::new(rel.clone(), ops)), notes)
        })
        .collect();
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    for (s, n) in results {
        sources.extend(s);
        notes.extend(n);
    }
    (sources, notes)
}
