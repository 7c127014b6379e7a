//! Source positions: 1-based lines and 1-based columns counted in UTF-16 code
//! units (what SARIF and GitHub expect by default), plus the line map that
//! extractors use to turn tree-sitter byte positions into them.

use serde::{Deserialize, Serialize};

/// A position in a source file. `line` and `col` are 1-based; `col` counts
/// UTF-16 code units, so an end position is the column *after* the last
/// character, as SARIF's `endColumn`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A range in one source file, `end` exclusive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }

    /// Whether `other` lies inside this span (inclusive of both ends).
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the position lies inside this span.
    pub fn contains_pos(&self, pos: Pos) -> bool {
        self.start <= pos && pos < self.end
    }
}

/// Byte offsets of line starts, so byte positions convert to [`Pos`].
/// Built once per file by an extractor and dropped with the syntax tree.
pub struct LineMap<'a> {
    src: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 32 + 1);
        starts.push(0);
        for (i, b) in src.iter().enumerate() {
            if *b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineMap { src, starts }
    }

    /// Number of lines in the file (a file without a final newline still counts its last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Converts a 0-based row and a byte column within that row (tree-sitter's
    /// `Point`) to a [`Pos`].
    pub fn pos(&self, row: usize, byte_col: usize) -> Pos {
        let line_start = self.starts.get(row).copied().unwrap_or(self.src.len());
        let end = (line_start + byte_col).min(self.src.len());
        let prefix = &self.src[line_start.min(end)..end];
        let col = if prefix.is_ascii() {
            prefix.len()
        } else {
            utf16_len(prefix)
        };
        Pos {
            line: saturate(row + 1),
            col: saturate(col + 1),
        }
    }

    /// Converts an absolute byte offset to a [`Pos`].
    pub fn pos_of_offset(&self, offset: usize) -> Pos {
        let row = match self.starts.binary_search(&offset) {
            Ok(r) => r,
            Err(r) => r.saturating_sub(1),
        };
        let line_start = self.starts.get(row).copied().unwrap_or(0);
        self.pos(row, offset.saturating_sub(line_start))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// UTF-16 length of possibly invalid UTF-8 bytes (invalid bytes count as one unit each).
fn utf16_len(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().map(char::len_utf16).sum(),
        Err(_) => String::from_utf8_lossy(bytes)
            .chars()
            .map(char::len_utf16)
            .sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions_are_one_based() {
        let map = LineMap::new(b"ab\ncd\n");
        assert_eq!(map.pos(1, 1), Pos { line: 2, col: 2 });
        assert_eq!(map.pos_of_offset(4), Pos { line: 2, col: 2 });
        assert_eq!(map.line_count(), 3);
    }

    #[test]
    fn columns_count_utf16_units() {
        // 'é' is 2 bytes and 1 UTF-16 unit; '😀' is 4 bytes and 2 units.
        let src = "é😀x".as_bytes();
        let map = LineMap::new(src);
        assert_eq!(map.pos(0, 6).col, 4);
    }

    #[test]
    fn out_of_range_points_do_not_panic() {
        let map = LineMap::new(b"a");
        assert_eq!(map.pos(7, 100).line, 8);
        let _ = map.pos_of_offset(1000);
    }
}
