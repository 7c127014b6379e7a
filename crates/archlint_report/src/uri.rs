//! Repository-relative paths as SARIF `artifactLocation.uri` values.
//!
//! GitHub needs a relative reference with `/` separators: no scheme, no
//! leading `/`, no `..`, no backslashes. The engine already guarantees
//! relative paths; this module still normalises defensively, because one bad
//! URI gets the whole upload rejected.

/// Turns a project-relative path into a relative URI reference (RFC 3986).
///
/// Backslashes become `/`; empty, `.` and leading `/` segments are dropped;
/// `..` removes the previous segment (never climbing above the root). Every
/// byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) is percent-encoded,
/// including `:` so a first segment like `C:` cannot read as a scheme.
pub(crate) fn path_to_uri(path: &str) -> String {
    let unified = path.replace('\\', "/");
    let mut segments: Vec<&str> = Vec::new();
    for segment in unified.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(unified.len());
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_segment(segment, &mut out);
    }
    out
}

fn encode_segment(segment: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_to_uri;

    #[test]
    fn keeps_plain_paths() {
        assert_eq!(path_to_uri("src/http/orders.rs"), "src/http/orders.rs");
        assert_eq!(path_to_uri("a-b_c.d~e/F9.py"), "a-b_c.d~e/F9.py");
    }

    #[test]
    fn encodes_reserved_and_non_ascii_bytes() {
        assert_eq!(
            path_to_uri("my app/#1 100%.py"),
            "my%20app/%231%20100%25.py"
        );
        assert_eq!(
            path_to_uri("a?b[c]@d+e,f;g=h&i'j"),
            "a%3Fb%5Bc%5D%40d%2Be%2Cf%3Bg%3Dh%26i%27j"
        );
        assert_eq!(path_to_uri("café/ü.py"), "caf%C3%A9/%C3%BC.py");
    }

    #[test]
    fn never_yields_absolute_or_parent_paths() {
        assert_eq!(path_to_uri("src\\win\\mod.rs"), "src/win/mod.rs");
        assert_eq!(path_to_uri("/abs/path.py"), "abs/path.py");
        assert_eq!(path_to_uri("./a//b/./c.py"), "a/b/c.py");
        assert_eq!(path_to_uri("a/../../b.py"), "b.py");
        assert_eq!(path_to_uri("C:\\src\\x.py"), "C%3A/src/x.py");
        assert_eq!(path_to_uri("file://host/x"), "file%3A/host/x");
    }
}
