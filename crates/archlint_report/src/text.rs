//! The terminal report: one block per finding (a `path:line:col` header, a
//! source snippet with the span underlined, notes for related locations and
//! flow steps), then the scan notifications and a summary line.

use crate::source::{SourceCache, SourceFile, byte_of_col};
use crate::{ReportInput, level_counts};
use annotate_snippets::{Annotation, AnnotationKind, Group, Renderer, Snippet};
use archlint_model::{Finding, Level, Location, Notification, Pos, Related};
use std::io::{self, Write};
use std::ops::Range;

/// A span covering more lines than this is underlined on its first line only:
/// the header already says where it starts, and a whole function body would
/// drown the finding.
const MAX_MARK_LINES: u32 = 3;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";

/// Writes the human-readable report. With `color` false the output holds no
/// ANSI escape sequence, whatever the scanned sources contain.
pub fn write_text(input: &ReportInput, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = SourceCache::new(input.root, input.sources);
    for finding in input.findings {
        write_finding(finding, &mut sources, &renderer, color, out)?;
        writeln!(out)?;
    }
    for notification in input.notifications {
        writeln!(out, "{}", notification_line(notification))?;
    }
    if !input.notifications.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(input))
}

fn write_finding(
    finding: &Finding,
    sources: &mut SourceCache,
    renderer: &Renderer,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let loc = &finding.location;
    let position = format!(
        "{}:{}:{}:",
        clean(&loc.path),
        loc.span.start.line,
        loc.span.start.col
    );
    let tag = format!("{}[{}]", finding.level.as_str(), clean(&finding.rule));
    let message = clean(&finding.message);
    if color {
        let style = level_style(finding.level);
        writeln!(
            out,
            "{BOLD}{position}{RESET} {style}{tag}{RESET} {BOLD}{message}{RESET}"
        )?;
    } else {
        writeln!(out, "{position} {tag} {message}")?;
    }

    let snippet = sources
        .get(&loc.path)
        .and_then(|file| snippet(file, finding));
    let inline: Vec<bool> = match &snippet {
        Some(s) => s.inline_related.clone(),
        None => vec![false; finding.related.len()],
    };
    let mut notes: Vec<(String, String)> = finding
        .related
        .iter()
        .zip(&inline)
        .filter(|(_, inline)| !**inline)
        .map(|(related, _)| ("note".to_owned(), related_text(related)))
        .collect();
    let steps = finding.flow.len();
    notes.extend(
        finding
            .flow
            .iter()
            .enumerate()
            .map(|(i, step)| (format!("flow {}/{steps}", i + 1), related_text(step))),
    );

    if let Some(snippet) = snippet {
        let rendered = render(renderer, finding.level, &snippet, &notes);
        if let Some(rendered) = rendered {
            return writeln!(out, "{rendered}");
        }
    }
    for (name, text) in &notes {
        writeln!(out, "  = {name}: {text}")?;
    }
    Ok(())
}

/// `<message> at path:line:col`, sanitised for a terminal.
fn related_text(related: &Related) -> String {
    format!(
        "{} at {}",
        clean(&related.message),
        position(&related.location)
    )
}

fn position(loc: &Location) -> String {
    format!(
        "{}:{}:{}",
        clean(&loc.path),
        loc.span.start.line,
        loc.span.start.col
    )
}

/// A finding's source excerpt: lines `first..` of its file and the marks on them.
struct Excerpt {
    source: String,
    first: usize,
    marks: Vec<(Range<usize>, bool, String)>,
    /// For each related location: whether it is drawn in the excerpt.
    inline_related: Vec<bool>,
}

/// A span clipped to real lines: (line, byte in line) for start and end.
#[derive(Clone, Copy)]
struct Clipped {
    start: (u32, usize),
    end: (u32, usize),
}

fn clip(file: &SourceFile, start: Pos, end: Pos) -> Option<Clipped> {
    let start_text = file.line(start.line)?;
    let start_byte = byte_of_col(start_text, start.col);
    let same_line = Clipped {
        start: (start.line, start_byte),
        end: (start.line, byte_of_col(start_text, end.col).max(start_byte)),
    };
    if end.line <= start.line {
        return Some(same_line);
    }
    if end.line - start.line > MAX_MARK_LINES {
        return Some(Clipped {
            end: (start.line, start_text.len()),
            ..same_line
        });
    }
    // An end at column 1 means "up to the end of the previous line".
    let (end_line, end_col) = if end.col <= 1 {
        (end.line - 1, u32::MAX)
    } else {
        (end.line, end.col)
    };
    if end_line == start.line {
        return Some(Clipped {
            end: (start.line, start_text.len()),
            ..same_line
        });
    }
    match file.line(end_line) {
        Some(text) => Some(Clipped {
            start: (start.line, start_byte),
            end: (end_line, byte_of_col(text, end_col)),
        }),
        // A span running past the end of the file stops at its last line.
        None => {
            let last = u32::try_from(file.line_count()).ok()?;
            let text = file.line(last)?;
            Some(Clipped {
                start: (start.line, start_byte),
                end: (last, text.len()),
            })
        }
    }
}

fn snippet(file: &SourceFile, finding: &Finding) -> Option<Excerpt> {
    let span = finding.location.span;
    let primary = clip(file, span.start, span.end)?;
    let mut clipped = vec![(primary, true, String::new())];
    let mut inline_related = Vec::with_capacity(finding.related.len());
    for related in &finding.related {
        let mark = (related.location.path == finding.location.path)
            .then(|| clip(file, related.location.span.start, related.location.span.end))
            .flatten();
        inline_related.push(mark.is_some());
        if let Some(mark) = mark {
            clipped.push((mark, false, clean(&related.message)));
        }
    }
    let first = clipped.iter().map(|(c, _, _)| c.start.0).min()?;
    let last = clipped.iter().map(|(c, _, _)| c.end.0).max()?;

    let mut source = String::new();
    let mut line_offsets = Vec::new();
    for line in first..=last {
        if line > first {
            source.push('\n');
        }
        line_offsets.push(source.len());
        source.push_str(file.line(line)?);
    }
    let offset = |(line, byte): (u32, usize)| -> Option<usize> {
        let index = usize::try_from(line.checked_sub(first)?).ok()?;
        Some(line_offsets.get(index)? + byte)
    };
    let mut marks = Vec::with_capacity(clipped.len());
    for (mark, is_primary, label) in clipped {
        let start = offset(mark.start)?;
        let end = offset(mark.end)?.max(start);
        marks.push((start..end, is_primary, label));
    }
    Some(Excerpt {
        source,
        first: usize::try_from(first).ok()?,
        marks,
        inline_related,
    })
}

/// Renders the excerpt and the notes; `None` if the renderer failed, in which
/// case the caller prints the notes alone.
fn render(
    renderer: &Renderer,
    level: Level,
    excerpt: &Excerpt,
    notes: &[(String, String)],
) -> Option<String> {
    let annotations = excerpt.marks.iter().map(|(range, primary, label)| {
        let kind = if *primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let annotation: Annotation = kind.span(range.clone());
        if label.is_empty() {
            annotation
        } else {
            annotation.label(label.as_str())
        }
    });
    let group = Group::with_level(snippet_level(level))
        .element(
            Snippet::source(excerpt.source.as_str())
                .line_start(excerpt.first)
                .fold(true)
                .annotations(annotations),
        )
        .elements(notes.iter().map(|(name, text)| {
            annotate_snippets::Level::NOTE
                .with_name(name.as_str())
                .message(text.as_str())
        }));
    // The marks are clamped to the excerpt, so the renderer should not panic;
    // if it ever does, the finding is still reported, without its snippet.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| renderer.render(&[group]))).ok()
}

fn snippet_level(level: Level) -> annotate_snippets::Level<'static> {
    match level {
        Level::Error => annotate_snippets::Level::ERROR,
        Level::Warning => annotate_snippets::Level::WARNING,
        Level::Note => annotate_snippets::Level::NOTE,
    }
}

/// The same colours annotate-snippets uses for each level.
fn level_style(level: Level) -> &'static str {
    match level {
        Level::Error => "\x1b[1m\x1b[91m",
        Level::Warning => "\x1b[1m\x1b[33m",
        Level::Note => "\x1b[1m\x1b[92m",
    }
}

/// One notification as a line for a terminal: `level: path:line:col: message`,
/// sanitised. The engine's messages say themselves what happened to the file
/// (`skipped: binary content`, `not valid UTF-8: analysed with invalid bytes
/// replaced`), so no verb is added here.
pub fn notification_line(notification: &Notification) -> String {
    let level = notification.level.as_str();
    let message = clean(&notification.message);
    match (&notification.path, notification.span) {
        (Some(path), Some(span)) => {
            format!(
                "{level}: {}:{}:{}: {message}",
                clean(path),
                span.start.line,
                span.start.col
            )
        }
        (Some(path), None) => format!("{level}: {}: {message}", clean(path)),
        (None, _) => format!("{level}: {message}"),
    }
}

fn summary_line(input: &ReportInput) -> String {
    let (errors, warnings, notes) = level_counts(input.findings);
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note"),
        plural(input.summary.files_scanned, "file"),
    );
    if input.summary.files_skipped > 0 {
        line.push_str(&format!(" ({} skipped)", input.summary.files_skipped));
    }
    line
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// Makes text from the scanned project safe to print: one line, control and
/// bidi characters shown as visible symbols (so no escape sequence from a
/// source file reaches the terminal).
fn clean(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    annotate_snippets::normalize_untrusted_str(&one_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::Span;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(text.to_owned())
    }

    fn pos(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn clip_keeps_spans_inside_the_file() {
        let f = file("abc\ndef\nghi\n");
        let c = clip(&f, pos(2, 2), pos(2, 99)).unwrap();
        assert_eq!((c.start, c.end), ((2, 1), (2, 3)));
        let c = clip(&f, pos(1, 2), pos(3, 1)).unwrap();
        assert_eq!(
            (c.start, c.end),
            ((1, 1), (2, 3)),
            "an end at column 1 stops on the line before"
        );
        let c = clip(&f, pos(3, 1), pos(9, 1)).unwrap();
        assert_eq!((c.start, c.end), ((3, 0), (3, 3)));
        let c = clip(&f, pos(2, 3), pos(1, 1)).unwrap();
        assert_eq!(
            (c.start, c.end),
            ((2, 2), (2, 2)),
            "a reversed span becomes empty"
        );
        assert!(clip(&f, pos(4, 1), pos(4, 2)).is_none());
        assert!(clip(&f, pos(0, 0), pos(0, 0)).is_none());
    }

    #[test]
    fn clean_removes_escapes_and_newlines() {
        let cleaned = clean("a\x1b[31mb\nc\u{202e}");
        assert!(!cleaned.contains('\x1b'));
        assert!(!cleaned.contains('\n'));
        assert!(!cleaned.contains('\u{202e}'));
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let f = file("x = 1\n");
        let finding = Finding {
            rule: "r/x".into(),
            level: Level::Warning,
            confidence: archlint_model::Confidence::High,
            message: "m".into(),
            location: Location {
                path: "a.py".into(),
                span: Span::new(pos(1, 50), pos(7, 90)),
            },
            related: vec![],
            flow: vec![],
            anchor: String::new(),
            fingerprint: String::new(),
            properties: Default::default(),
        };
        let excerpt = snippet(&f, &finding).unwrap();
        assert_eq!(excerpt.marks[0].0, 5..5);
        assert!(render(&Renderer::plain(), Level::Warning, &excerpt, &[]).is_some());
    }
}
