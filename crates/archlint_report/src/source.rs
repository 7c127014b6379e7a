//! Source text for snippets: files read once from the project root, split in
//! lines, with UTF-16 columns (what `Span` counts) turned into byte offsets.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Files larger than this get no snippet; reading them would cost more than a
/// snippet is worth, and the engine skips such files anyway.
const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// One file's text and the byte range of each line (without `\n` or `\r\n`).
pub(crate) struct SourceFile {
    text: String,
    lines: Vec<(usize, usize)>,
}

impl SourceFile {
    pub(crate) fn new(text: String) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                lines.push((start, trim_cr(&text, start, i)));
                start = i + 1;
            }
        }
        if start < text.len() {
            lines.push((start, trim_cr(&text, start, text.len())));
        }
        SourceFile { text, lines }
    }

    /// Number of lines (a final newline does not start another line).
    pub(crate) fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The text of 1-based line `line`, if the file has it.
    pub(crate) fn line(&self, line: u32) -> Option<&str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let &(start, end) = self.lines.get(index)?;
        self.text.get(start..end)
    }
}

fn trim_cr(text: &str, start: usize, end: usize) -> usize {
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// Byte offset in `line` of the 1-based UTF-16 column `col`, clamped to the
/// line's length. A column inside a surrogate pair rounds up to the next
/// character, so the offset is always on a char boundary.
pub(crate) fn byte_of_col(line: &str, col: u32) -> usize {
    let target = usize::try_from(col.saturating_sub(1)).unwrap_or(usize::MAX);
    let mut units = 0;
    for (offset, ch) in line.char_indices() {
        if units >= target {
            return offset;
        }
        units += ch.len_utf16();
    }
    line.len()
}

/// Files read from where the engine found them (else from the project root),
/// each at most once.
pub(crate) struct SourceCache<'r> {
    root: &'r Path,
    known: &'r BTreeMap<String, PathBuf>,
    files: BTreeMap<String, Option<SourceFile>>,
}

impl<'r> SourceCache<'r> {
    pub(crate) fn new(root: &'r Path, known: &'r BTreeMap<String, PathBuf>) -> Self {
        SourceCache {
            root,
            known,
            files: BTreeMap::new(),
        }
    }

    /// The file at reported `path`, or `None` if it cannot be read (missing,
    /// too large, or a path that would leave the root).
    pub(crate) fn get(&mut self, path: &str) -> Option<&SourceFile> {
        if !self.files.contains_key(path) {
            let file = match self.known.get(path) {
                Some(full) => read_file(full),
                None => read_source(self.root, path),
            };
            self.files.insert(path.to_owned(), file);
        }
        self.files.get(path).and_then(Option::as_ref)
    }
}

fn read_source(root: &Path, path: &str) -> Option<SourceFile> {
    let relative = Path::new(path);
    // Finding paths are relative and normalised; anything else is not read, so
    // a malformed path never makes the report read outside the project.
    if path.is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    read_file(&root.join(relative))
}

fn read_file(full: &Path) -> Option<SourceFile> {
    if std::fs::metadata(full).ok()?.len() > MAX_SOURCE_BYTES {
        return None;
    }
    let bytes = std::fs::read(full).ok()?;
    // Lossy, as the extractors count invalid bytes: one replacement character each.
    Some(SourceFile::new(
        String::from_utf8_lossy(&bytes).into_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_strips_cr() {
        let file = SourceFile::new("a\r\nbc\n\nd".to_owned());
        assert_eq!(file.line_count(), 4);
        assert_eq!(file.line(1), Some("a"));
        assert_eq!(file.line(2), Some("bc"));
        assert_eq!(file.line(3), Some(""));
        assert_eq!(file.line(4), Some("d"));
        assert_eq!(file.line(0), None);
        assert_eq!(file.line(5), None);
    }

    #[test]
    fn utf16_columns_map_to_char_boundaries() {
        // 'é' is 2 bytes / 1 unit, '😀' is 4 bytes / 2 units.
        let line = "é😀x";
        assert_eq!(byte_of_col(line, 1), 0);
        assert_eq!(byte_of_col(line, 2), 2);
        assert_eq!(
            byte_of_col(line, 3),
            6,
            "inside the surrogate pair rounds up"
        );
        assert_eq!(byte_of_col(line, 4), 6);
        assert_eq!(byte_of_col(line, 5), 7);
        assert_eq!(byte_of_col(line, 99), 7);
        assert_eq!(byte_of_col(line, 0), 0);
    }

    #[test]
    fn refuses_paths_outside_the_root() {
        let dir = std::env::temp_dir();
        let known = BTreeMap::new();
        let mut cache = SourceCache::new(&dir, &known);
        assert!(cache.get("../etc/passwd").is_none());
        assert!(cache.get("/etc/passwd").is_none());
        assert!(cache.get("").is_none());
    }
}
