//! Byte positions to [`Pos`] (1-based line, UTF-16 column) through the
//! model's [`LineMap`], with a cache for long lines: `LineMap::pos` scans the
//! line prefix on every call, which is quadratic on a megabyte-long generated
//! line holding thousands of nodes.

use archlint_model::{LineMap, Pos, Span};
use tree_sitter::{Node, Point};

/// Columns below this go straight to `LineMap` (a short prefix scan).
const SHORT_COL: usize = 256;
/// Distance in bytes between UTF-16 checkpoints of a long non-ASCII line.
const STEP: usize = 64;
/// Long lines remembered at once; spans are visited roughly in order.
const CACHED_ROWS: usize = 4;

struct LongRow {
    row: usize,
    /// Byte range of the line, without its newline.
    start: usize,
    end: usize,
    /// Bytes from the line start that are all ASCII.
    ascii: usize,
    /// `(byte offset, UTF-16 units before it)` at char boundaries, about every
    /// `STEP` bytes; built only when a column lies past the ASCII prefix.
    checkpoints: Option<Vec<(usize, usize)>>,
}

pub(crate) struct Positions<'a> {
    src: &'a [u8],
    map: LineMap<'a>,
    rows: Vec<LongRow>,
    next_slot: usize,
}

impl<'a> Positions<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Positions {
            src,
            map: LineMap::new(src),
            rows: Vec::new(),
            next_slot: 0,
        }
    }

    pub fn span(&mut self, node: Node<'_>) -> Span {
        let start = self.pos(node.start_position(), || node.start_byte());
        let end = self.pos(node.end_position(), || node.end_byte());
        Span::new(start, end)
    }

    /// The position of `point`, whose absolute byte offset `byte` gives; it
    /// is asked for only on long lines (a tree-sitter call per node saved
    /// otherwise).
    pub fn pos(&mut self, point: Point, byte: impl FnOnce() -> usize) -> Pos {
        let (row, col) = (point.row, point.column);
        if col < SHORT_COL {
            return self.map.pos(row, col);
        }
        let byte = byte();
        if byte < col {
            return self.map.pos(row, col);
        }
        let slot = self.long_row(row, byte - col);
        let Some(r) = self.rows.get_mut(slot) else {
            return self.map.pos(row, col);
        };
        let units = if col <= r.ascii {
            col
        } else {
            let line = self.src.get(r.start..r.end).unwrap_or_default();
            let cps = r.checkpoints.get_or_insert_with(|| checkpoints(line));
            let i = cps.partition_point(|&(b, _)| b <= col).saturating_sub(1);
            let (b, u) = cps.get(i).copied().unwrap_or((0, 0));
            u + utf16_units(line.get(b..col).unwrap_or_default())
        };
        Pos {
            line: saturate(row + 1),
            col: saturate(units + 1),
        }
    }

    fn long_row(&mut self, row: usize, start: usize) -> usize {
        if let Some(i) = self.rows.iter().position(|r| r.row == row) {
            return i;
        }
        let line = line_at(self.src, start);
        let ascii = line
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(line.len());
        let entry = LongRow {
            row,
            start,
            end: start + line.len(),
            ascii,
            checkpoints: None,
        };
        if self.rows.len() < CACHED_ROWS {
            self.rows.push(entry);
            self.rows.len() - 1
        } else {
            let slot = self.next_slot % CACHED_ROWS;
            self.next_slot = self.next_slot.wrapping_add(1);
            if let Some(r) = self.rows.get_mut(slot) {
                *r = entry;
            }
            slot
        }
    }
}

/// The line starting at byte `start`, without its newline.
fn line_at(src: &[u8], start: usize) -> &[u8] {
    let rest = src.get(start..).unwrap_or_default();
    let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    rest.get(..len).unwrap_or_default()
}

fn checkpoints(line: &[u8]) -> Vec<(usize, usize)> {
    let mut cps = vec![(0, 0)];
    let (mut off, mut units, mut next) = (0usize, 0usize, STEP);
    let mark = |off: usize, units: usize, next: &mut usize, cps: &mut Vec<(usize, usize)>| {
        if off >= *next {
            cps.push((off, units));
            *next = (off / STEP + 1) * STEP;
        }
    };
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            mark(off, units, &mut next, &mut cps);
            off += c.len_utf8();
            units += c.len_utf16();
        }
        if !chunk.invalid().is_empty() {
            mark(off, units, &mut next, &mut cps);
            off += chunk.invalid().len();
            // One U+FFFD per invalid sequence, as `String::from_utf8_lossy`.
            units += 1;
        }
    }
    cps
}

/// UTF-16 length of possibly invalid UTF-8, counting as `LineMap` does.
fn utf16_units(bytes: &[u8]) -> usize {
    let mut n = 0;
    for chunk in bytes.utf8_chunks() {
        n += chunk.valid().chars().map(char::len_utf16).sum::<usize>();
        n += usize::from(!chunk.invalid().is_empty());
    }
    n
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_line(src: &[u8]) {
        let map = LineMap::new(src);
        let mut pos = Positions::new(src);
        let line = line_at(src, 0);
        for col in (0..=line.len()).filter(|c| std::str::from_utf8(&line[..*c]).is_ok()) {
            let point = Point {
                row: 0,
                column: col,
            };
            assert_eq!(pos.pos(point, || col), map.pos(0, col), "col {col}");
        }
    }

    #[test]
    fn long_lines_agree_with_line_map() {
        let mut s = "x".repeat(300);
        check_line(s.as_bytes());
        for _ in 0..100 {
            s.push_str("é😀 ab");
        }
        check_line(s.as_bytes());
    }

    #[test]
    fn long_invalid_utf8_lines_do_not_panic() {
        let mut s = vec![b'a'; 300];
        s.extend_from_slice(&[0xff, 0xfe, b'b', 0xc3]);
        s.extend(std::iter::repeat_n(b'c', 300));
        let mut pos = Positions::new(&s);
        for col in 0..s.len() + 5 {
            let _ = pos.pos(
                Point {
                    row: 0,
                    column: col,
                },
                || col,
            );
        }
    }
}
