//! Inline test modules (`#[cfg(test)] mod tests { ... }`) are left out of the
//! parse: the lowering skips them whole anyway (see `items`), and in real
//! crates they are a large share of the source (14 % of the bytes of the
//! benchmark's rust tier), so parsing them is wasted work.
//!
//! A light lexer (comments, strings, raw strings, chars and lifetimes; no
//! grammar) finds each `#[cfg(test)]` followed, past other attributes and a
//! visibility, by `mod NAME {`, and the brace that closes it. The body
//! between the braces is then excluded with tree-sitter's included ranges,
//! so the tree holds `mod NAME {}` at the same byte offsets and positions.
//! The lexer is never trusted alone: [`confirmed`] checks the tree, and
//! any doubt (a syntax error anywhere, an attribute or body the tree does
//! not have where the lexer saw it) means the file is parsed again in full.

use tree_sitter::{Node, Point, Range, Tree};

/// The attribute this looks for, byte for byte: other spellings are still
/// skipped by the lowering, only parsed.
const MARKER: &[u8] = b"#[cfg(test)]";

/// How far past the marker its module's `{` may be (other attributes, doc
/// comments, a visibility, `mod NAME`).
const LOOKAHEAD: usize = 1024;

/// One test module found in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TestMod {
    /// Byte offset of `#[cfg(test)]`.
    pub attr: usize,
    /// Byte offsets of the body's `{` and of the `}` that closes it.
    pub open: usize,
    pub close: usize,
}

/// The outermost `#[cfg(test)]` modules with a body, in source order; empty
/// when there is none or when the braces of the file do not balance.
pub(crate) fn find(src: &[u8]) -> Vec<TestMod> {
    let mut out = Vec::new();
    if memchr::memmem::find(src, MARKER).is_none() {
        return out;
    }
    let mut lx = Lexer { src, pos: 0 };
    let mut depth = 0usize;
    // The module being skipped: its entry, and the depth outside its body.
    let mut open: Option<(TestMod, usize)> = None;
    while let Some(tok) = lx.next() {
        match tok {
            Tok::Punct(b'{', _) => depth += 1,
            Tok::Punct(b'}', at) => {
                let Some(d) = depth.checked_sub(1) else {
                    return Vec::new();
                };
                depth = d;
                if let Some((m, outside)) = open
                    && outside == depth
                {
                    out.push(TestMod { close: at, ..m });
                    open = None;
                }
            }
            Tok::Punct(b'#', at) if open.is_none() && src[at..].starts_with(MARKER) => {
                // The module must start within a short window: a file full
                // of markers costs a bounded look ahead each, linear in all.
                let mut ahead = Lexer {
                    src: &src[..(at + LOOKAHEAD).min(src.len())],
                    pos: at + MARKER.len(),
                };
                if let Some(brace) = module_body(&mut ahead) {
                    lx.pos = brace + 1;
                    let m = TestMod {
                        attr: at,
                        open: brace,
                        close: brace,
                    };
                    open = Some((m, depth));
                    depth += 1;
                }
            }
            _ => {}
        }
    }
    if depth != 0 || open.is_some() {
        return Vec::new();
    }
    out
}

/// After `#[cfg(test)]`: more attributes, a visibility, `mod NAME {`.
/// Returns the offset of the `{` with the lexer just past it.
fn module_body(lx: &mut Lexer<'_>) -> Option<usize> {
    loop {
        match lx.next()? {
            Tok::Punct(b'#', _) => {
                let Tok::Punct(b'[', _) = lx.next()? else {
                    return None;
                };
                skip_group(lx, b'[', b']')?;
            }
            Tok::Ident(s, e) if &lx.src[s..e] == b"pub" => {
                let before = lx.pos;
                match lx.next()? {
                    Tok::Punct(b'(', _) => skip_group(lx, b'(', b')')?,
                    _ => lx.pos = before,
                }
            }
            Tok::Ident(s, e) if &lx.src[s..e] == b"mod" => {
                let Tok::Ident(..) = lx.next()? else {
                    return None;
                };
                return match lx.next()? {
                    Tok::Punct(b'{', at) => Some(at),
                    _ => None,
                };
            }
            _ => return None,
        }
    }
}

/// Skips to the delimiter closing an opened `(` or `[`.
fn skip_group(lx: &mut Lexer<'_>, open: u8, close: u8) -> Option<()> {
    let mut depth = 1usize;
    loop {
        match lx.next()? {
            Tok::Punct(b, _) if b == open => depth += 1,
            Tok::Punct(b, _) if b == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(());
                }
            }
            _ => {}
        }
    }
}

/// The parts of the file to parse: everything but the bodies of `mods`.
pub(crate) fn included_ranges(src: &[u8], mods: &[TestMod]) -> Vec<Range> {
    let mut points = PointFinder::default();
    let mut out = Vec::with_capacity(mods.len() + 1);
    let mut start = 0usize;
    for m in mods {
        // Keep both braces: the tree then has an empty `{}` body.
        let end = m.open + 1;
        out.push(Range {
            start_byte: start,
            end_byte: end,
            start_point: points.at(src, start),
            end_point: points.at(src, end),
        });
        start = m.close;
    }
    out.push(Range {
        start_byte: start,
        end_byte: src.len(),
        start_point: points.at(src, start),
        end_point: points.at(src, src.len()),
    });
    out
}

/// Row and byte column of ascending offsets, counting newlines once.
#[derive(Default)]
struct PointFinder {
    offset: usize,
    row: usize,
    line_start: usize,
}

impl PointFinder {
    fn at(&mut self, src: &[u8], offset: usize) -> Point {
        let offset = offset.min(src.len());
        for nl in memchr::memchr_iter(b'\n', &src[self.offset.min(offset)..offset]) {
            self.row += 1;
            self.line_start = self.offset + nl + 1;
        }
        self.offset = offset;
        Point {
            row: self.row,
            column: offset - self.line_start,
        }
    }
}

/// Whether the tree parsed without the bodies of `mods` has them as the
/// lexer saw them: no syntax error anywhere, each `#[cfg(test)]` an
/// attribute item of its own, each body an empty declaration list of a
/// module item.
pub(crate) fn confirmed(tree: &Tree, mods: &[TestMod]) -> bool {
    let root = tree.root_node();
    if root.has_error() {
        return false;
    }
    let exact = |start: usize, end: usize, kind: &str| -> Option<Node<'_>> {
        let n = root.descendant_for_byte_range(start, end)?;
        (n.start_byte() == start && n.end_byte() == end && n.kind() == kind).then_some(n)
    };
    mods.iter().all(|m| {
        exact(m.attr, m.attr + MARKER.len(), "attribute_item").is_some()
            && exact(m.open, m.close + 1, "declaration_list")
                .and_then(|body| body.parent())
                .is_some_and(|item| item.kind() == "mod_item")
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword (raw identifiers included): start and end.
    Ident(usize, usize),
    /// Any other single byte outside comments and literals, with its offset.
    Punct(u8, usize),
    /// A string, char or number literal, or a lifetime.
    Other,
}

/// Just enough of Rust's lexical grammar to keep braces inside comments and
/// literals from counting.
struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.src.get(at).copied()
    }

    fn next(&mut self) -> Option<Tok> {
        loop {
            let b = self.byte(self.pos)?;
            let start = self.pos;
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.byte(start + 1) == Some(b'/') => {
                    self.pos = memchr::memchr(b'\n', &self.src[start..])
                        .map_or(self.src.len(), |i| start + i + 1);
                }
                b'/' if self.byte(start + 1) == Some(b'*') => self.block_comment(),
                b'"' => {
                    self.pos += 1;
                    self.quoted(b'"');
                    return Some(Tok::Other);
                }
                b'\'' => {
                    self.char_or_lifetime();
                    return Some(Tok::Other);
                }
                b'0'..=b'9' => {
                    self.pos = self.word_end(start);
                    return Some(Tok::Other);
                }
                _ if is_ident_byte(b) => {
                    let end = self.word_end(start);
                    self.pos = end;
                    let word = &self.src[start..end];
                    let next = self.byte(end);
                    if matches!(word, b"r" | b"br" | b"cr") && matches!(next, Some(b'"' | b'#')) {
                        if self.raw_string() {
                            return Some(Tok::Other);
                        }
                        if word == b"r" && next == Some(b'#') {
                            // A raw identifier: `r#type`.
                            let e = self.word_end(end + 1);
                            self.pos = e;
                            return Some(Tok::Ident(end + 1, e));
                        }
                    }
                    return Some(Tok::Ident(start, end));
                }
                _ => {
                    self.pos += 1;
                    return Some(Tok::Punct(b, start));
                }
            }
        }
    }

    fn word_end(&self, from: usize) -> usize {
        self.src[from..]
            .iter()
            .position(|&b| !is_ident_byte(b) && !b.is_ascii_digit())
            .map_or(self.src.len(), |i| from + i)
    }

    /// Past a nested `/* ... */` (to the end of the file when unterminated).
    fn block_comment(&mut self) {
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < self.src.len() {
            match (self.src[i], self.byte(i + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                }
                _ => i += 1,
            }
        }
        self.pos = i.min(self.src.len());
    }

    /// Past the closing `quote`, backslash escapes honoured.
    fn quoted(&mut self, quote: u8) {
        let mut i = self.pos;
        while let Some(&b) = self.src.get(i) {
            i += if b == b'\\' { 2 } else { 1 };
            if b == quote {
                break;
            }
        }
        self.pos = i.min(self.src.len());
    }

    /// At `#...#"` or `"` just after an `r`, `br` or `cr` prefix: past the
    /// raw string and true, or unmoved and false when this is no raw string.
    fn raw_string(&mut self) -> bool {
        let hashes = self.src[self.pos..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        let quote = self.pos + hashes;
        if self.byte(quote) != Some(b'"') {
            return false;
        }
        let mut i = quote + 1;
        while let Some(off) = memchr::memchr(b'"', &self.src[i..]) {
            let end = i + off + 1;
            if self.src[end..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
            {
                self.pos = end + hashes;
                return true;
            }
            i = end;
        }
        self.pos = self.src.len();
        true
    }

    /// `'x'`, `'\n'`, `'\u{1F600}'`, `'{'` are chars; `'a` and `'static`
    /// are lifetimes (only the quote is consumed, the name lexes as a word).
    fn char_or_lifetime(&mut self) {
        let start = self.pos;
        match self.byte(start + 1) {
            Some(b'\\') => {
                // An escape (`'\''`, `'\n'`, `'\u{7D}'`): the closing quote
                // is a few bytes past the escaped character.
                let from = start + 3;
                let window = self
                    .src
                    .get(from..(start + 16).min(self.src.len()))
                    .unwrap_or_default();
                self.pos = match memchr::memchr(b'\'', window) {
                    Some(i) => from + i + 1,
                    None => start + 1,
                };
            }
            Some(first) => {
                let len = utf8_len(first);
                self.pos = if self.byte(start + 1 + len) == Some(b'\'') {
                    start + 2 + len
                } else {
                    start + 1
                };
            }
            None => self.pos = start + 1,
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic() || b >= 0x80
}

/// Length of the UTF-8 sequence a leading byte starts (1 for stray bytes).
fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(src: &str) -> Vec<&str> {
        find(src.as_bytes())
            .iter()
            .map(|m| &src[m.open..=m.close])
            .collect()
    }

    #[test]
    fn finds_the_body_of_a_test_module() {
        let src = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn t() { let x = 1; }\n}\nfn b() {}\n";
        assert_eq!(bodies(src), ["{\n    fn t() { let x = 1; }\n}"]);
        let m = find(src.as_bytes())[0];
        assert_eq!(&src[m.attr..m.attr + MARKER.len()], "#[cfg(test)]");
    }

    #[test]
    fn other_attributes_comments_and_visibility_may_come_between() {
        let src =
            "#[cfg(test)]\n/// Tests.\n#[allow(unused, reason = \"]\")]\npub(crate) mod t { }\n";
        assert_eq!(bodies(src), ["{ }"]);
        let src = "#[cfg(test)] pub mod r#tests {}";
        assert_eq!(bodies(src), ["{}"]);
    }

    #[test]
    fn braces_in_literals_and_comments_do_not_count() {
        let src = concat!(
            "#[cfg(test)]\nmod tests {\n",
            "  const A: &str = \"}\\\"}\";\n",
            "  const B: &str = r#\"}\"}\"#;\n",
            "  const C: char = '}';\n",
            "  const D: u8 = b'{';\n",
            "  const E: char = '\\u{7D}';\n",
            "  const F: [char; 2] = ['\\'','{'];\n",
            "  fn f<'a>(x: &'a str) -> &'a str { x } // }\n",
            "  /* } /* nested } */ } */\n",
            "}\nfn after() {}\n",
        );
        let found = bodies(src);
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with("*/\n}"), "{found:?}");
    }

    #[test]
    fn markers_in_strings_or_comments_and_modules_without_body_are_not_test_modules() {
        assert!(bodies("const S: &str = \"#[cfg(test)] mod t {}\";").is_empty());
        assert!(bodies("// #[cfg(test)] mod t {}\nfn f() {}").is_empty());
        assert!(bodies("#[cfg(test)]\nmod tests;\nfn f() {}").is_empty());
        assert!(bodies("#[cfg(test)]\nfn helper() {}").is_empty());
        assert!(bodies("#[cfg(not(test))]\nmod real {}").is_empty());
    }

    #[test]
    fn the_module_must_start_soon_after_the_marker() {
        let near = format!("#[cfg(test)]\n// {}\nmod t {{}}", "x".repeat(900));
        assert_eq!(bodies(&near), ["{}"]);
        let far = format!("#[cfg(test)]\n// {}\nmod t {{}}", "x".repeat(LOOKAHEAD));
        assert!(bodies(&far).is_empty());
        // Markers that never lead to a module, each looking ahead in vain.
        let many = "#[cfg(test)] #[a(".repeat(10_000) + "\nfn f() {}";
        assert!(bodies(&many).is_empty());
    }

    #[test]
    fn nested_test_modules_are_covered_by_the_outer_one() {
        let src = "#[cfg(test)] mod a { #[cfg(test)] mod b { } }\nmod c { #[cfg(test)] mod d {} }";
        assert_eq!(bodies(src), ["{ #[cfg(test)] mod b { } }", "{}"]);
    }

    #[test]
    fn unbalanced_braces_skip_nothing() {
        assert!(bodies("#[cfg(test)] mod t { fn f() {").is_empty());
        assert!(bodies("}\n#[cfg(test)] mod t {}").is_empty());
    }

    /// Parses `src` without the test module bodies found in it.
    fn confirm(src: &str) -> bool {
        let mods = find(src.as_bytes());
        assert!(!mods.is_empty(), "no test module found in {src:?}");
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_rust::LANGUAGE.into())
            .unwrap();
        parser
            .set_included_ranges(&included_ranges(src.as_bytes(), &mods))
            .unwrap();
        let tree = parser.parse(src, None).unwrap();
        confirmed(&tree, &mods)
    }

    #[test]
    fn the_tree_confirms_only_module_items_in_error_free_files() {
        assert!(confirm(
            "#[cfg(test)]\n#[allow(x)]\npub mod t {\n fn f() {}\n}\nfn g() {}\n"
        ));
        assert!(confirm("fn f() { #[cfg(test)] mod t { fn x() {} } }"));
        // In a macro's token tree the same text is no module item.
        assert!(!confirm(
            "cfg_if! {\n #[cfg(test)]\n mod t { fn f() {} }\n}\n"
        ));
        // A syntax error anywhere else.
        assert!(!confirm("#[cfg(test)] mod t { }\nfn broken( {}"));
    }

    #[test]
    fn included_ranges_keep_both_braces_and_give_right_positions() {
        let src = "fn a() {}\n#[cfg(test)]\nmod t {\n  x\n}\nfn b() {}\n";
        let mods = find(src.as_bytes());
        let ranges = included_ranges(src.as_bytes(), &mods);
        assert_eq!(ranges.len(), 2);
        assert_eq!(
            &src[ranges[0].start_byte..ranges[0].end_byte],
            "fn a() {}\n#[cfg(test)]\nmod t {"
        );
        assert_eq!(ranges[0].end_point, Point { row: 2, column: 7 });
        assert_eq!(ranges[1].start_point, Point { row: 4, column: 0 });
        assert_eq!(&src[ranges[1].start_byte..], "}\nfn b() {}\n");
        assert_eq!(ranges[1].end_point, Point { row: 6, column: 0 });
    }
}
