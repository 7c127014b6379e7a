//! Turning sqlparser's positions (1-based line and character column inside
//! the text it was given) into byte offsets of the original text, and those
//! into archlint [`Pos`] values (UTF-16 columns).

use archlint_model::{LineMap, Pos};
use sqlparser::tokenizer::Location as SqlLocation;

/// Byte offset in `text` of sqlparser's 1-based `line`/`column` (characters),
/// clamped to the text; `None` for sqlparser's empty location (0, 0).
pub(crate) fn offset_in(text: &str, loc: SqlLocation) -> Option<usize> {
    if loc.line == 0 {
        return None;
    }
    let mut line_start = 0usize;
    for _ in 1..loc.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return Some(text.len()),
        }
    }
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let col = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(usize::MAX);
    let within = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    Some(line_start + within)
}

/// Positions in one source text.
pub(crate) struct Positions<'a> {
    map: LineMap<'a>,
}

impl<'a> Positions<'a> {
    pub fn new(src: &'a str) -> Self {
        Positions {
            map: LineMap::new(src.as_bytes()),
        }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        self.map.pos_of_offset(offset)
    }
}

/// The `Line: N, Column: M` sqlparser appends to its error messages.
pub(crate) fn error_location(message: &str) -> Option<SqlLocation> {
    let i = message.rfind("Line: ")?;
    let rest = &message[i + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(SqlLocation::new(
        line.trim().parse().ok()?,
        column.parse().ok()?,
    ))
}

/// sqlparser's message without its position suffix and crate prefix.
pub(crate) fn error_message(message: &str) -> String {
    let m = message
        .strip_prefix("sql parser error: ")
        .unwrap_or(message);
    let m = match m.rfind(" at Line: ") {
        Some(i) => &m[..i],
        None => m,
    };
    m.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_lines_and_characters() {
        let text = "ab\né_x y";
        assert_eq!(offset_in(text, SqlLocation::new(1, 2)), Some(1));
        // 'é' is two bytes: the third character of line 2 starts at byte 6.
        assert_eq!(offset_in(text, SqlLocation::new(2, 3)), Some(6));
        assert_eq!(offset_in(text, SqlLocation::new(2, 99)), Some(text.len()));
        assert_eq!(offset_in(text, SqlLocation::new(9, 1)), Some(text.len()));
        assert_eq!(offset_in(text, SqlLocation::new(0, 0)), None);
    }

    #[test]
    fn error_positions_are_read_back() {
        let m = "sql parser error: Expected: an expression, found: EOF at Line: 3, Column: 14";
        assert_eq!(error_location(m), Some(SqlLocation::new(3, 14)));
        assert_eq!(error_message(m), "Expected: an expression, found: EOF");
    }
}
