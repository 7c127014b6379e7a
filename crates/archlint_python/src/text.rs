//! Python string literal decoding (prefix flags, simple escapes, f-string
//! brace escapes).

/// What a string literal's prefix (`rb`, `f`, `u`, ...) says about its body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StrFlags {
    pub raw: bool,
    pub bytes: bool,
    /// f-string (or a 3.14 t-string, which interpolates the same way).
    pub interpolated: bool,
}

impl StrFlags {
    /// Reads the prefix letters of a `string_start` token such as `rb"""`.
    pub fn from_start(start: &[u8]) -> Self {
        let mut flags = StrFlags::default();
        for &b in start.iter().take_while(|b| b.is_ascii_alphabetic()) {
            match b.to_ascii_lowercase() {
                b'r' => flags.raw = true,
                b'b' => flags.bytes = true,
                b'f' | b't' => flags.interpolated = true,
                _ => {}
            }
        }
        flags
    }
}

/// Appends the value of a literal piece of a string body to `out`.
pub(crate) fn decode_into(text: &str, flags: StrFlags, out: &mut String) {
    let needs_work = (!flags.raw && text.contains('\\'))
        || (flags.interpolated && (text.contains('{') || text.contains('}')));
    if !needs_work {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `{{` and `}}` stand for one brace in f-strings (raw ones too).
            '{' | '}' if flags.interpolated => {
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                out.push(c);
            }
            '\\' if !flags.raw => escape(&mut chars, flags, out),
            _ => out.push(c),
        }
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Resolves one escape after a backslash; unknown or malformed escapes are kept as written.
fn escape(chars: &mut Chars<'_>, flags: StrFlags, out: &mut String) {
    let Some(c) = chars.next() else {
        out.push('\\');
        return;
    };
    let simple = match c {
        '\n' => Some(None),
        '\r' => {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            Some(None)
        }
        '\\' | '\'' | '"' => Some(Some(c)),
        'a' => Some(Some('\x07')),
        'b' => Some(Some('\x08')),
        'f' => Some(Some('\x0c')),
        'n' => Some(Some('\n')),
        'r' => Some(Some('\r')),
        't' => Some(Some('\t')),
        'v' => Some(Some('\x0b')),
        _ => None,
    };
    if let Some(resolved) = simple {
        out.extend(resolved);
        return;
    }
    match c {
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        value = value * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            out.push(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        'x' => hex(chars, 'x', 2, out),
        'u' if !flags.bytes => hex(chars, 'u', 4, out),
        'U' if !flags.bytes => hex(chars, 'U', 8, out),
        // `\N{NAME}` and anything unknown: kept verbatim.
        _ => {
            out.push('\\');
            out.push(c);
        }
    }
}

/// `\xhh`, `\uhhhh`, `\Uhhhhhhhh`; bytes' `\xhh` becomes the Latin-1 char.
fn hex(chars: &mut Chars<'_>, letter: char, len: usize, out: &mut String) {
    let mut digits = String::with_capacity(len);
    while digits.len() < len {
        match chars.peek() {
            Some(d) if d.is_ascii_hexdigit() => {
                digits.push(*d);
                chars.next();
            }
            _ => break,
        }
    }
    let value = if digits.len() == len {
        u32::from_str_radix(&digits, 16).ok()
    } else {
        None
    };
    match value.and_then(char::from_u32) {
        Some(ch) => out.push(ch),
        None => {
            out.push('\\');
            out.push(letter);
            out.push_str(&digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(body: &str, start: &str) -> String {
        let mut out = String::new();
        decode_into(body, StrFlags::from_start(start.as_bytes()), &mut out);
        out
    }

    #[test]
    fn escapes_resolve_unless_raw() {
        assert_eq!(
            dec(r"a\nb\t\\\'\x41\101\u00e9\N{DASH}\q", "\""),
            "a\nb\t\\'AAé\\N{DASH}\\q"
        );
        assert_eq!(dec(r"a\nb", "r'"), r"a\nb");
        assert_eq!(dec("a\\\nb", "'"), "ab");
        assert_eq!(dec(r"\u00e9\xff", "b'"), "\\u00e9\u{ff}");
        assert_eq!(dec(r"\x4", "'"), "\\x4");
        assert_eq!(dec("end\\", "'"), "end\\");
    }

    #[test]
    fn f_string_braces_collapse() {
        assert_eq!(dec("{{x}} \\n", "f'"), "{x} \n");
        assert_eq!(dec("{{x}} \\n", "rf'"), "{x} \\n");
        assert_eq!(dec("{{x}}", "'"), "{{x}}");
    }

    #[test]
    fn prefixes() {
        let f = StrFlags::from_start(b"Rb\"\"\"");
        assert!(f.raw && f.bytes && !f.interpolated);
        assert!(StrFlags::from_start(b"F'").interpolated);
        assert_eq!(StrFlags::from_start(b"u'"), StrFlags::default());
    }
}
