//! Splitting route paths and handler names into lower-case words, for
//! recognising auth-sensitive endpoints, and matching public-path globs.

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Lower-case words of a route path (parameters dropped) and a handler name
/// (`snake_case`, `camelCase`, `kebab-case`).
pub fn words(path: &str, handler: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stripped = String::with_capacity(path.len());
    let mut depth = 0i32;
    for c in path.chars() {
        match c {
            '<' | '{' | '(' => depth += 1,
            '>' | '}' | ')' => depth = (depth - 1).max(0),
            _ if depth == 0 => stripped.push(c),
            _ => {}
        }
    }
    // `:id` style parameters (axum, actix) are whole segments.
    let stripped: String = stripped
        .split('/')
        .filter(|s| !s.starts_with(':') && !s.starts_with('*'))
        .collect::<Vec<_>>()
        .join("/");
    split_words(&stripped, &mut out);
    split_words(handler, &mut out);
    out
}

fn split_words(s: &str, out: &mut Vec<String>) {
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            cur.push(c.to_ascii_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
}

/// Whether `words` contains one of the word sequences.
pub fn has_sequence(words: &[String], seqs: &[Vec<String>]) -> Option<String> {
    for seq in seqs {
        if seq.is_empty() {
            continue;
        }
        if words
            .windows(seq.len())
            .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
        {
            return Some(seq.join(" "));
        }
    }
    None
}

/// Normalises a route path for public-path matching: lower-case, Django
/// regex anchors removed, a leading `/`, no trailing `/`.
pub fn normalise_path(path: &str) -> String {
    let p = path
        .trim_start_matches('^')
        .trim_end_matches('$')
        .to_ascii_lowercase();
    let p = p.trim_end_matches('/');
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// Compiles public-path globs (invalid ones were rejected with the config).
pub fn glob_set(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = Glob::new(&g.to_ascii_lowercase()) {
            b.add(g);
        }
        // A plain path like `/health` also covers what lies below it? No: only
        // itself; users write `/health/**` for subtrees.
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths_and_names() {
        assert_eq!(
            words("/api/v1/Auth/log-in/<int:id>", "doLogin"),
            ["api", "v1", "auth", "log", "in", "do", "login"]
        );
        assert_eq!(
            words("/users/:id/tokens", "list_tokens"),
            ["users", "tokens", "list", "tokens"]
        );
    }

    #[test]
    fn sequences() {
        let w = words("/sign-in", "");
        assert_eq!(
            has_sequence(&w, &[vec!["sign".into(), "in".into()]]),
            Some("sign in".into())
        );
        assert_eq!(has_sequence(&w, &[vec!["login".into()]]), None);
    }

    #[test]
    fn normalises() {
        assert_eq!(normalise_path("^accounts/login/$"), "/accounts/login");
        assert_eq!(normalise_path("/Health/"), "/health");
        let g = glob_set(&["**/login".into(), "**/health".into()]);
        assert!(g.is_match(normalise_path("/api/auth/login/")));
        assert!(g.is_match("/health"));
        assert!(!g.is_match("/healthy"));
    }
}
