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

/// Suppressions other tools' users have already written for the same
/// problem, honoured on any of `lines` given (1-based, the finding's own
/// and those of its SQL text): for `db/sql-injection`, ruff's
/// `# noqa: S608` and bandit's `# nosec B608` (or a bare `# nosec`). A bare
/// `# noqa` is not one: it is too often about style.
pub fn foreign_suppression(lines: &[&str], at: impl IntoIterator<Item = u32>, rule: &str) -> bool {
    if rule != "db/sql-injection" {
        return false;
    }
    at.into_iter().any(|n| {
        let Some(line) = (n as usize).checked_sub(1).and_then(|i| lines.get(i)) else {
            return false;
        };
        let Some(hash) = line.find('#') else {
            return false;
        };
        let comment = &line[hash..];
        let codes_after = |word: &str| {
            comment.find(word).map(|at| {
                comment[at + word.len()..]
                    .split([',', ' ', ':'])
                    .filter(|c| !c.is_empty())
                    .take_while(|c| is_code(c))
                    .map(str::to_ascii_uppercase)
                    .collect::<Vec<_>>()
            })
        };
        let noqa = codes_after("noqa").is_some_and(|c| c.iter().any(|c| c == "S608"));
        let nosec =
            codes_after("nosec").is_some_and(|c| c.is_empty() || c.iter().any(|c| c == "B608"));
        noqa || nosec
    })
}

/// A lint code such as `S608` or `B608`: letters, then digits.
fn is_code(token: &str) -> bool {
    let digits = token.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    digits.len() < token.len() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruff_and_bandit_sql_suppressions_cover_sql_injection_only() {
        let lines = vec![
            "q = f'''SELECT * FROM {table}",
            "'''  # noqa: S608",
            "x = 1  # noqa",
            "y = 2  # noqa: E501, s608",
            "z = 3  # nosec",
            "w = 4  # nosec B101",
            "v = 5  # nosec: B608",
            "u = '# noqa: S608'",
            "t = 6  # nosec reviewed by security",
        ];
        let rule = "db/sql-injection";
        assert!(foreign_suppression(&lines, 1..=2, rule));
        assert!(!foreign_suppression(&lines, [1], rule));
        assert!(!foreign_suppression(&lines, [3], rule));
        assert!(foreign_suppression(&lines, [4], rule));
        assert!(foreign_suppression(&lines, [5], rule));
        assert!(!foreign_suppression(&lines, [6], rule));
        assert!(foreign_suppression(&lines, [7], rule));
        assert!(foreign_suppression(&lines, [9], rule));
        assert!(!foreign_suppression(&lines, [2], "db/n-plus-one"));
        assert!(!foreign_suppression(&lines, [0, 99], rule));
    }

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
