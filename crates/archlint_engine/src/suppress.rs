//! Inline suppressions: `# archlint: ignore[rule-id, ...]` (Python) or
//! `// archlint: ignore[...]` (Rust) on the finding's line or on the
//! decorator, attribute or comment lines directly above it. A bare
//! `archlint: ignore` suppresses every rule there; a pack name suppresses its rules.

const MARKER: &str = "archlint: ignore";

/// Whether the finding of `rule` at 1-based `line` of `lines` is suppressed.
pub fn is_suppressed(lines: &[&str], line: u32, rule: &str) -> bool {
    let Some(idx) = (line as usize).checked_sub(1) else {
        return false;
    };
    if lines.get(idx).is_some_and(|l| directive_covers(l, rule)) {
        return true;
    }
    // Walk up through the decorator/attribute/comment block above the line.
    let mut i = idx;
    let mut steps = 0;
    while i > 0 && steps < 50 {
        i -= 1;
        steps += 1;
        let t = lines.get(i).map(|l| l.trim_start()).unwrap_or("");
        let part_of_block = t.starts_with('@')
            || t.starts_with('#')
            || t.starts_with("//")
            || t.starts_with(')')
            || t.starts_with(']');
        if !part_of_block {
            // Continuation lines of a multi-line decorator are allowed too.
            if t.is_empty() || !(t.ends_with(',') || t.ends_with('(') || t.ends_with('[')) {
                break;
            }
        }
        if directive_covers(lines.get(i).copied().unwrap_or(""), rule) {
            return true;
        }
    }
    false
}

fn directive_covers(line: &str, rule: &str) -> bool {
    let Some(at) = line.find(MARKER) else {
        return false;
    };
    // Only inside a comment.
    let before = &line[..at];
    if !(before.contains('#') || before.contains("//")) {
        return false;
    }
    let rest = &line[at + MARKER.len()..];
    let Some(list) = rest.strip_prefix('[') else {
        return true;
    };
    let Some(end) = list.find(']') else {
        return false;
    };
    let pack = rule.split('/').next().unwrap_or(rule);
    list[..end]
        .split(',')
        .map(str::trim)
        .any(|r| r == rule || r == pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_and_decorator_block() {
        let src = "@app.post('/x')  # archlint: ignore[api/missing-rate-limit]\n@login_required\ndef f():\n    pass\n";
        let lines: Vec<&str> = src.lines().collect();
        assert!(is_suppressed(&lines, 3, "api/missing-rate-limit"));
        assert!(!is_suppressed(&lines, 3, "api/unauthenticated-endpoint"));
        let lines = vec!["def g():  # archlint: ignore"];
        assert!(is_suppressed(&lines, 1, "api/anything"));
        let lines = vec!["x = 'archlint: ignore'", "def g():"];
        assert!(!is_suppressed(&lines, 2, "api/x"));
        let lines = vec![
            "// archlint: ignore[api]",
            "#[post(\"/x\")]",
            "async fn h() {}",
        ];
        assert!(is_suppressed(&lines, 3, "api/unauthenticated-endpoint"));
    }

    #[test]
    fn stops_at_code() {
        let lines = vec!["# archlint: ignore[api]", "x = 1", "def f():"];
        assert!(!is_suppressed(&lines, 3, "api/x"));
        assert!(!is_suppressed(&lines, 0, "api/x"));
    }
}
