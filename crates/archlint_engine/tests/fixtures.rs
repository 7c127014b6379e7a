//! The fixture harness: scans every app under `testdata/` (except
//! `bad-input`, which has its own tests) and compares the findings with the
//! `# expect: RULE[:level]` / `// expect: ...` comments on their lines. Any
//! missing or unexpected finding fails, with all differences listed.
//! Set `ARCHLINT_FIXTURE=<dir name>` to check a single app.
//! `# ok: RULE` marks a tempting look-alike; it must name a real rule, and
//! because every finding needs an `expect`, nothing may be reported there.
//! `# related: RULE` marks a line that some finding of RULE must point at
//! as a related location (a registration site, a table definition, a loop).

use archlint_engine::{ScanOptions, scan};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expect {
    path: String,
    line: u32,
    rule: String,
    level: Option<String>,
    /// `RULE:level:confidence` also checks the finding's confidence.
    confidence: Option<String>,
}

/// Rule ids (with an optional `:level` or `:level:confidence`) following
/// `marker` in a comment.
fn parse_marker(line: &str, marker: &str) -> Vec<(String, Option<String>)> {
    let Some(comment_at) = line
        .find("# ")
        .or_else(|| line.find("//"))
        .or_else(|| line.find("-- "))
    else {
        return Vec::new();
    };
    let comment = &line[comment_at..];
    let mut out = Vec::new();
    let mut rest = comment;
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        for tok in rest.split([',', ' ']).filter(|t| !t.is_empty()) {
            if !tok.contains('/') {
                break;
            }
            let (rule, level) = match tok.split_once(':') {
                Some((r, l)) => (r.to_string(), Some(l.to_string())),
                None => (tok.to_string(), None),
            };
            out.push((rule, level));
        }
    }
    out
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            source_files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("py" | "rs" | "sql")
        ) {
            out.push(p);
        }
    }
}

fn check_fixture(dir: &Path) -> Result<usize, String> {
    let result = scan(
        &ScanOptions {
            paths: vec![dir.to_path_buf()],
            threads: 2,
            project_root: Some(dir.to_path_buf()),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .map_err(|e| format!("{}: scan failed: {e}", dir.display()))?;
    let known: BTreeSet<String> = archlint_rules::all_meta()
        .into_iter()
        .map(|m| m.id)
        .collect();
    let mut expected: Vec<Expect> = Vec::new();
    let mut related: Vec<Expect> = Vec::new();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    source_files(dir, &mut files);
    for f in &files {
        let rel = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            for marker in ["expect:", "ok:", "related:"] {
                for (rule, level) in parse_marker(line, marker) {
                    if !known.contains(&rule) {
                        problems.push(format!(
                            "{rel}:{}: `{marker}` names unknown rule {rule}",
                            i + 1
                        ));
                    }
                    let (level, confidence) = match level.as_deref().map(|l| l.split_once(':')) {
                        Some(Some((l, c))) => (Some(l.to_string()), Some(c.to_string())),
                        _ => (level, None),
                    };
                    let e = Expect {
                        path: rel.clone(),
                        line: i as u32 + 1,
                        rule,
                        level,
                        confidence,
                    };
                    match marker {
                        "expect:" => expected.push(e),
                        "related:" => related.push(e),
                        _ => {}
                    }
                }
            }
        }
    }
    // Expectations form a multiset: a rule repeated in a marker expects that
    // many findings on the line (a viewset's list and detail routes share its class line).
    let mut matched = vec![false; expected.len()];
    for finding in &result.findings {
        let same = |e: &Expect| {
            e.path == finding.location.path
                && e.line == finding.location.span.start.line
                && e.rule == finding.rule
        };
        // Prefer an expectation whose level also matches.
        let pick = (0..expected.len())
            .find(|&i| {
                !matched[i]
                    && same(&expected[i])
                    && expected[i].level.as_deref() == Some(finding.level.as_str())
            })
            .or_else(|| (0..expected.len()).find(|&i| !matched[i] && same(&expected[i])));
        match pick {
            Some(i) => {
                let e = &expected[i];
                if let Some(l) = &e.level
                    && l != finding.level.as_str()
                {
                    problems.push(format!(
                        "{}:{}: {} reported at level {}, expected {l}: {}",
                        e.path,
                        e.line,
                        e.rule,
                        finding.level.as_str(),
                        finding.message
                    ));
                }
                let confidence = serde_json::to_value(finding.confidence)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                if let Some(c) = &e.confidence
                    && *c != confidence
                {
                    problems.push(format!(
                        "{}:{}: {} reported with confidence {confidence}, expected {c}: {}",
                        e.path, e.line, e.rule, finding.message
                    ));
                }
                matched[i] = true;
            }
            None => problems.push(format!(
                "{}:{}: unexpected {} ({}): {}",
                finding.location.path,
                finding.location.span.start.line,
                finding.rule,
                finding.level.as_str(),
                finding.message
            )),
        }
    }
    for (e, m) in expected.iter().zip(&matched) {
        if !m {
            problems.push(format!("{}:{}: missing {}", e.path, e.line, e.rule));
        }
    }
    for r in &related {
        let pointed = result.findings.iter().any(|f| {
            f.rule == r.rule
                && f.related.iter().any(|rel| {
                    rel.location.path == r.path && rel.location.span.start.line == r.line
                })
        });
        if !pointed {
            problems.push(format!(
                "{}:{}: no {} finding has a related location here",
                r.path, r.line, r.rule
            ));
        }
    }
    for n in &result.notifications {
        if n.kind == archlint_model::NotificationKind::Panic {
            problems.push(format!("{:?}: panic: {}", n.path, n.message));
        }
    }
    if problems.is_empty() {
        Ok(expected.len())
    } else {
        Err(format!("{}:\n  {}", dir.display(), problems.join("\n  ")))
    }
}

#[test]
fn fixture_apps_report_exactly_their_expectations() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(testdata())
        .expect("testdata exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "bad-input"))
        .collect();
    // `ARCHLINT_FIXTURE=flask` checks one app while working on it.
    if let Ok(only) = std::env::var("ARCHLINT_FIXTURE") {
        dirs.retain(|d| d.file_name().is_some_and(|n| n.to_string_lossy() == only));
    }
    dirs.sort();
    assert!(!dirs.is_empty());
    let mut failures = Vec::new();
    let mut total = 0;
    for d in &dirs {
        match check_fixture(d) {
            Ok(n) => total += n,
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
    assert!(total > 0, "fixtures carry no expectations");
}

#[test]
fn marker_parsing() {
    assert_eq!(
        parse_marker("def f():  # expect: api/a, api/b:warning", "expect:"),
        vec![
            ("api/a".to_string(), None),
            ("api/b".to_string(), Some("warning".to_string()))
        ]
    );
    assert_eq!(parse_marker("x = 1  # ok: api/a", "expect:"), vec![]);
    assert_eq!(
        parse_marker("fn f() {} // ok: api/a", "ok:"),
        vec![("api/a".to_string(), None)]
    );
}
