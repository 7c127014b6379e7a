//! Canonical text of types and patterns.
//!
//! Types and parameter patterns are kept as text, normalised so that the same
//! type always reads the same whatever its formatting:
//! - whitespace and comments are removed, except one space between two words
//!   (`impl Responder`, `&mut T`, `dyn Error`);
//! - lifetimes are removed with the separator that goes with them
//!   (`&'r State<Pool>` is `&State<Pool>`, `Cookie<'r>` is `Cookie`,
//!   `Box<dyn Error + Send + 'static>` is `Box<dyn Error+Send>`).
//!   Char literals (`'a'`) are kept.

/// Normalises type or pattern source text (see the module doc).
pub(crate) fn normalize(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let mut i = 0;
    let mut pending_space = false;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() {
            pending_space = true;
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            // Line comment: up to the end of the line.
            while b.get(i).is_some_and(|&x| x != b'\n') {
                i += 1;
            }
            pending_space = true;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(b, i);
            pending_space = true;
        } else if c == b'\'' {
            let end = word_end(b, i + 1);
            if end > i + 1 && b.get(end) != Some(&b'\'') {
                // A lifetime: drop it and a `,`/`+` that separates it.
                i = skip_ws(b, end);
                match b.get(i) {
                    Some(b',') | Some(b'+') => i += 1,
                    _ => trim_separator(&mut out),
                }
                pending_space = false;
            } else {
                // A char literal (or a stray quote): copy through its end.
                let close = b
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().skip(1).position(|&x| x == b'\''));
                let stop = close.map_or(i + 1, |p| i + p + 3);
                push_word_sep(&mut out, &mut pending_space, false);
                out.push_str(src.get(i..stop.min(src.len())).unwrap_or("'"));
                i = stop;
            }
        } else if is_word(c) {
            let end = word_end(b, i);
            push_word_sep(&mut out, &mut pending_space, true);
            out.push_str(src.get(i..end).unwrap_or(""));
            i = end;
        } else {
            // Punctuation (or any non-ASCII byte run, copied as is).
            let end = if c.is_ascii() {
                i + 1
            } else {
                next_boundary(src, i)
            };
            pending_space = false;
            out.push_str(src.get(i..end).unwrap_or(""));
            i = end;
        }
    }
    if out.contains("<>") {
        out = out.replace("<>", "");
    }
    out
}

/// Removes generic arguments: `axum::extract::FromRequestParts<S>` becomes
/// `axum::extract::FromRequestParts`; `->` inside them is not a bracket.
pub(crate) fn strip_generics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    let mut prev = '\0';
    for ch in s.chars() {
        match ch {
            '<' => depth += 1,
            '>' if prev != '-' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
        prev = ch;
    }
    out
}

/// The self type of an impl as the IR wants it: no references, no generics.
pub(crate) fn self_type(normalized: &str) -> String {
    let mut s = normalized.trim_start_matches('&');
    if let Some(rest) = s.strip_prefix("mut ") {
        s = rest;
    }
    strip_generics(s)
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn word_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_word(c)) {
        i += 1;
    }
    i
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0u32;
    while i < b.len() {
        if b.get(i..i + 2) == Some(b"/*") {
            depth += 1;
            i += 2;
        } else if b.get(i..i + 2) == Some(b"*/") {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

fn next_boundary(s: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() && !s.is_char_boundary(j) {
        j += 1;
    }
    j
}

/// Drops a trailing `,` or `+` (and the space before it) left by a removed lifetime.
fn trim_separator(out: &mut String) {
    let t = out.trim_end_matches(' ').len();
    out.truncate(t);
    if out.ends_with(',') || out.ends_with('+') {
        out.pop();
    }
}

fn push_word_sep(out: &mut String, pending_space: &mut bool, word: bool) {
    if *pending_space && word && out.as_bytes().last().is_some_and(|&c| is_word(c)) {
        out.push(' ');
    }
    *pending_space = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_except_between_words() {
        assert_eq!(normalize("Result < Json < U > , E >"), "Result<Json<U>,E>");
        assert_eq!(normalize("impl  Responder"), "impl Responder");
        assert_eq!(normalize("& mut  T"), "&mut T");
        assert_eq!(normalize("dyn Fn(&str) -> bool"), "dyn Fn(&str)->bool");
        assert_eq!(
            normalize("TypedHeader<\n  Authorization<Bearer>,\n>"),
            "TypedHeader<Authorization<Bearer>,>"
        );
    }

    #[test]
    fn lifetimes_are_dropped_with_their_separator() {
        assert_eq!(normalize("&'r State<Pool>"), "&State<Pool>");
        assert_eq!(normalize("CookieJar<'r>"), "CookieJar");
        assert_eq!(normalize("Foo<'a, T>"), "Foo<T>");
        assert_eq!(normalize("Foo<T, 'a>"), "Foo<T>");
        assert_eq!(
            normalize("Box<dyn Error + Send + 'static>"),
            "Box<dyn Error+Send>"
        );
        assert_eq!(normalize("&'_ mut Conn"), "&mut Conn");
    }

    #[test]
    fn char_literals_and_comments() {
        assert_eq!(normalize("Const<'a'>"), "Const<'a'>");
        assert_eq!(normalize("Vec</* c */ u8 // x\n>"), "Vec<u8>");
        assert_eq!(normalize("Ä < é >"), "Ä<é>");
        assert_eq!(normalize("'"), "'");
    }

    #[test]
    fn generics_and_references_are_stripped_from_self_types() {
        assert_eq!(
            strip_generics("axum::extract::FromRequestParts<S>"),
            "axum::extract::FromRequestParts"
        );
        assert_eq!(strip_generics("Box<dyn Fn()->R>"), "Box");
        assert_eq!(self_type("&mut Router<S>"), "Router");
    }
}
