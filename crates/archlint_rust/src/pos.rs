//! Byte positions to [`Pos`] (1-based line, 1-based UTF-16 column), with the
//! same results as `archlint_model::LineMap::pos` but in bounded time.
//!
//! `LineMap::pos` counts UTF-16 units over the whole line prefix, which is
//! quadratic on long lines (minified or generated code puts a whole file on
//! one line). Here an ASCII file needs no counting at all (column = byte
//! column). Other files keep, per 64-byte block, how many bytes before it
//! are not UTF-16 units of their own (continuation bytes, less one per
//! surrogate pair) and whether the block is pure ASCII; a conversion then
//! costs O(1) in ASCII blocks and scans at most one block otherwise.

use archlint_model::Pos;

const BLOCK: usize = 64;

pub(crate) struct Positions<'a> {
    text: &'a [u8],
    /// `None` for ASCII text.
    blocks: Option<Blocks>,
}

struct Blocks {
    /// Bytes minus UTF-16 units of everything before each block's start.
    extra: Vec<i64>,
    /// Whether each block holds a non-ASCII byte.
    mixed: Vec<bool>,
}

impl<'a> Positions<'a> {
    /// `text` must be valid UTF-8 (the lossily decoded source).
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        if bytes.is_ascii() {
            return Positions {
                text: bytes,
                blocks: None,
            };
        }
        let n = bytes.len() / BLOCK + 1;
        let (mut extra, mut mixed) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut total = 0i64;
        for chunk in bytes.chunks(BLOCK) {
            extra.push(total);
            mixed.push(!chunk.is_ascii());
            total += extra_of(chunk);
        }
        Positions {
            text: bytes,
            blocks: Some(Blocks { extra, mixed }),
        }
    }

    /// The position of the byte `col` bytes into row `row`, whose absolute
    /// offset `offset` gives; it is asked for only when the text is not all
    /// ASCII (a tree-sitter call per node saved otherwise).
    pub fn pos(&self, row: usize, col: usize, offset: impl FnOnce() -> usize) -> Pos {
        let col = match &self.blocks {
            None => col,
            Some(blocks) => {
                let offset = offset();
                let line_start = offset.saturating_sub(col);
                let extra =
                    self.extra_before(blocks, offset) - self.extra_before(blocks, line_start);
                usize::try_from(i64::try_from(col).unwrap_or(i64::MAX) - extra).unwrap_or(0)
            }
        };
        Pos {
            line: saturate(row.saturating_add(1)),
            col: saturate(col.saturating_add(1)),
        }
    }

    /// Bytes minus UTF-16 units before `offset` (a char boundary).
    fn extra_before(&self, blocks: &Blocks, offset: usize) -> i64 {
        let offset = offset.min(self.text.len());
        let b = offset / BLOCK;
        let base = blocks.extra.get(b).copied().unwrap_or(0);
        if !blocks.mixed.get(b).copied().unwrap_or(false) {
            return base;
        }
        base + self.text.get(b * BLOCK..offset).map_or(0, extra_of)
    }
}

/// Bytes that are not UTF-16 units of their own: continuation bytes count
/// one each, and a 4-byte lead gives one back (its char is a surrogate pair).
fn extra_of(bytes: &[u8]) -> i64 {
    bytes
        .iter()
        .map(|&b| i64::from(b & 0xC0 == 0x80) - i64::from(b >= 0xF0))
        .sum()
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::LineMap;

    /// Every char boundary of `text` converts as `LineMap` converts it.
    fn same_as_line_map(text: &str) {
        let map = LineMap::new(text.as_bytes());
        let pos = Positions::new(text);
        let (mut row, mut line_start) = (0, 0);
        for (i, ch) in text.char_indices().chain([(text.len(), '\0')]) {
            assert_eq!(
                pos.pos(row, i - line_start, || i),
                map.pos(row, i - line_start),
                "offset {i}"
            );
            if ch == '\n' {
                row += 1;
                line_start = i + 1;
            }
        }
    }

    #[test]
    fn agrees_with_line_map() {
        same_as_line_map("");
        same_as_line_map("fn f() {}\nlet x = 1;\n");
        same_as_line_map("é😀x\n\u{FFFD}ab\r\n中文 \"s\"\n");
    }

    #[test]
    fn agrees_across_block_boundaries_on_long_lines() {
        let mut s = String::new();
        for i in 0..3000 {
            s.push_str(if i % 7 == 0 {
                "😀"
            } else if i % 5 == 0 {
                "é"
            } else {
                "ab"
            });
            if i % 1000 == 999 {
                s.push('\n');
            }
        }
        // Then long pure-ASCII stretches around a lone non-ASCII char.
        s.push_str(&"x".repeat(1000));
        s.push('é');
        s.push_str(&"y".repeat(1000));
        same_as_line_map(&s);
    }
}
