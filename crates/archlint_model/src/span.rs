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
    /// Per line, the byte offset (within the line) of its first non-ASCII
    /// byte, or `u32::MAX`: columns before it equal byte offsets, so most
    /// conversions cost O(1) even on very long (minified) lines.
    first_non_ascii: Vec<u32>,
}

impl<'a> LineMap<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 32 + 1);
        let mut first_non_ascii = Vec::with_capacity(src.len() / 32 + 1);
        starts.push(0);
        // Whole lines at a time: find each newline, then test the line for
        // non-ASCII bytes (word-wise), looking for the first one only when
        // there is one.
        let non_ascii = |line: &[u8]| -> u32 {
            if line.is_ascii() {
                return u32::MAX;
            }
            let at = line.iter().position(|b| *b >= 0x80).unwrap_or(0);
            u32::try_from(at).unwrap_or(0)
        };
        let mut line_start = 0usize;
        for nl in memchr::memchr_iter(b'\n', src) {
            first_non_ascii.push(non_ascii(&src[line_start..nl]));
            line_start = nl + 1;
            starts.push(line_start);
        }
        first_non_ascii.push(non_ascii(&src[line_start..]));
        LineMap {
            src,
            starts,
            first_non_ascii,
        }
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
        let begin = line_start.min(end);
        let ascii_until = self.first_non_ascii.get(row).copied().unwrap_or(u32::MAX) as usize;
        let col = if end - begin <= ascii_until {
            end - begin
        } else {
            // ASCII prefix counts byte for byte; only the rest needs decoding.
            ascii_until + utf16_len(&self.src[begin + ascii_until..end])
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
    fn each_line_knows_where_its_non_ascii_text_starts() {
        // Line 2 is ASCII up to 'é' (byte 2), line 3 ASCII only, line 4 has
        // no final newline.
        let src = "ab\nxyé😀z\nplain\né".as_bytes();
        let map = LineMap::new(src);
        assert_eq!(map.line_count(), 4);
        assert_eq!(map.pos(1, 2).col, 3);
        // After 'é' (2 bytes, 1 unit) and '😀' (4 bytes, 2 units).
        assert_eq!(map.pos(1, 8).col, 6);
        assert_eq!(map.pos(2, 5).col, 6);
        assert_eq!(map.pos(3, 2).col, 2);
        assert_eq!(map.pos_of_offset(src.len()), Pos { line: 4, col: 2 });
    }

    #[test]
    fn long_lines_convert_in_linear_time() {
        let mut src = "a".repeat(400_000);
        src.push('é');
        src.push_str(&"b".repeat(10));
        let map = LineMap::new(src.as_bytes());
        let mut total = 0u64;
        for c in (0..400_000).step_by(7) {
            total += u64::from(map.pos(0, c).col);
        }
        assert!(total > 0);
        assert_eq!(map.pos(0, 400_002).col, 400_002);
        assert_eq!(map.pos(0, 400_003).col, 400_003);
    }

    #[test]
    fn out_of_range_points_do_not_panic() {
        let map = LineMap::new(b"a");
        assert_eq!(map.pos(7, 100).line, 8);
        let _ = map.pos_of_offset(1000);
    }
}
