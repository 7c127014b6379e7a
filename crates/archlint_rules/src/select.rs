//! Rule selection: `--select`/`--ignore` and the config's `[rules]` name rule
//! ids or whole packs (`api`); unknown names are errors, not silent no-ops.

use archlint_model::RuleMeta;

/// Whether `pattern` (a rule id or a pack name) names `rule`.
pub fn names(pattern: &str, rule: &RuleMeta) -> bool {
    pattern == rule.id || pattern == rule.pack || pattern == "all"
}

/// Checks that every pattern names at least one rule; returns the first unknown one.
pub fn unknown<'a>(patterns: &'a [String], rules: &[RuleMeta]) -> Option<&'a str> {
    patterns
        .iter()
        .find(|p| !rules.iter().any(|r| names(p, r)))
        .map(String::as_str)
}

/// Whether a rule is enabled: selected (or nothing selected) and not ignored.
/// A more specific pattern wins: `--select api --ignore api/x` drops `api/x`,
/// `--ignore api --select api/x` keeps it.
pub fn enabled(rule: &RuleMeta, select: &[String], ignore: &[String]) -> bool {
    let spec = |pats: &[String]| {
        pats.iter()
            .filter(|p| names(p, rule))
            .map(|p| {
                if *p == rule.id {
                    2
                } else if *p == rule.pack {
                    1
                } else {
                    0
                }
            })
            .max()
    };
    let sel = if select.is_empty() {
        Some(0)
    } else {
        spec(select)
    };
    match (sel, spec(ignore)) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(i)) => s > i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::Level;

    fn meta(id: &str) -> RuleMeta {
        RuleMeta {
            id: id.into(),
            pack: id.split('/').next().unwrap().into(),
            name: String::new(),
            summary: String::new(),
            description: String::new(),
            default_level: Level::Warning,
            precision: "high".into(),
            tags: vec![],
            security_severity: None,
            docs: String::new(),
        }
    }

    #[test]
    fn selection_precedence() {
        let r = meta("api/x");
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(enabled(&r, &[], &[]));
        assert!(!enabled(&r, &s(&["db"]), &[]));
        assert!(!enabled(&r, &s(&["api"]), &s(&["api/x"])));
        assert!(enabled(&r, &s(&["api/x"]), &s(&["api"])));
        assert!(!enabled(&r, &[], &s(&["api"])));
        assert_eq!(unknown(&s(&["api", "nope"]), &[r]), Some("nope"));
    }
}
