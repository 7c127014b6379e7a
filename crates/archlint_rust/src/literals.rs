//! String, raw string, byte string and char literals to their values.
//!
//! Escapes are resolved (`\n`, `\t`, `\\`, `\"`, `\0`, `\x41`, `\u{1F600}`,
//! and the line continuation `\` + newline, which also eats the next line's
//! leading whitespace). Byte and C strings are read the same way; a byte
//! escape above `\x7F` becomes the char with that code point (lossy, which is
//! fine for facts). Raw strings are their content as written.

use crate::kinds::Kind;
use crate::lower::Lowerer;
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    /// The value of a `string_literal` node.
    pub(crate) fn string_value(&mut self, node: Node<'a>) -> String {
        let mut out = String::new();
        let mut continued = false;
        let mut c = self.cursor(node);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                match self.kind(ch) {
                    Kind::StringContent => {
                        let s = self.text(ch);
                        out.push_str(if continued { s.trim_start() } else { s });
                        continued = false;
                    }
                    Kind::EscapeSequence => continued = unescape(self.text(ch), &mut out),
                    _ => {}
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        out
    }

    /// The content of a `raw_string_literal` node.
    pub(crate) fn raw_string_value(&mut self, node: Node<'a>) -> String {
        match self.child_of_kind(node, Kind::StringContent) {
            Some(content) => self.text(content).to_owned(),
            None => String::new(),
        }
    }

    /// The value of a `char_literal` node (`'x'`, `b'\n'`), as a string.
    pub(crate) fn char_value(&self, node: Node<'a>) -> String {
        let t = self.text(node);
        let t = t.strip_prefix('b').unwrap_or(t);
        let inner = t
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or(t);
        let mut out = String::new();
        if inner.starts_with('\\') {
            unescape(inner, &mut out);
        } else {
            out.push_str(inner);
        }
        out
    }
}

/// Appends the value of one escape sequence; returns true for a line continuation.
fn unescape(esc: &str, out: &mut String) -> bool {
    let mut chars = esc.chars();
    if chars.next() != Some('\\') {
        out.push_str(esc);
        return false;
    }
    let rest = chars.as_str();
    match rest.chars().next() {
        Some('n') => out.push('\n'),
        Some('r') => out.push('\r'),
        Some('t') => out.push('\t'),
        Some('0') => out.push('\0'),
        Some('\\') => out.push('\\'),
        Some('"') => out.push('"'),
        Some('\'') => out.push('\''),
        Some('\n') | Some('\r') => return true,
        Some('x') => match rest
            .get(1..)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
        {
            Some(ch) => out.push(ch),
            None => out.push_str(esc),
        },
        Some('u') => {
            let hex = rest
                .trim_start_matches('u')
                .trim_start_matches('{')
                .trim_end_matches('}');
            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                Some(ch) => out.push(ch),
                None => out.push(char::REPLACEMENT_CHARACTER),
            }
        }
        _ => out.push_str(esc),
    }
    false
}

#[cfg(test)]
mod tests {
    use super::unescape;

    fn un(s: &str) -> (String, bool) {
        let mut out = String::new();
        let cont = unescape(s, &mut out);
        (out, cont)
    }

    #[test]
    fn escapes() {
        assert_eq!(un("\\n").0, "\n");
        assert_eq!(un("\\x41").0, "A");
        assert_eq!(un("\\u{1F600}").0, "😀");
        assert_eq!(un("\\u{D800}").0, "\u{FFFD}");
        assert_eq!(un("\\q").0, "\\q");
        assert!(un("\\\n").1);
        assert_eq!(un("").0, "");
    }
}
