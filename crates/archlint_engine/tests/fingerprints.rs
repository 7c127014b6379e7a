//! A finding's fingerprint does not depend on its line: inserting lines above
//! the findings (at the top of every file and again after its first line)
//! moves every finding of the fixture apps and changes none of their
//! fingerprints.

use archlint_engine::{Scan, ScanOptions, scan};
use std::collections::BTreeSet;
use std::path::Path;

fn run(root: &Path) -> Scan {
    scan(
        &ScanOptions {
            paths: vec![root.to_path_buf()],
            threads: 2,
            project_root: Some(root.to_path_buf()),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("scan succeeds")
}

/// Copies `from` into `to`, padding source files with comment lines.
fn copy_padded(from: &Path, to: &Path) {
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.strip_prefix(from).unwrap());
            if path.is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let comment = match path.extension().and_then(|e| e.to_str()) {
                Some("py") => "#",
                Some("rs") => "//",
                Some("sql") => "--",
                _ => {
                    std::fs::write(&target, text).unwrap();
                    continue;
                }
            };
            let pad = format!("{comment} inserted\n{comment} inserted\n");
            let padded = match text.split_once('\n') {
                // After the first line too, unless that would split a
                // string or a block the first line opens.
                Some((first, rest))
                    if first
                        .trim_end()
                        .ends_with(['"', '\'', '{', '(', '[', ':', '\\']) =>
                {
                    format!("{pad}{first}\n{rest}")
                }
                Some((first, rest)) => format!("{pad}{first}\n{pad}{rest}"),
                None => format!("{pad}{text}"),
            };
            std::fs::write(&target, padded).unwrap();
        }
    }
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let before = run(&testdata);
    let copy = tempfile::tempdir().unwrap();
    copy_padded(&testdata, copy.path());
    let after = run(copy.path());

    assert!(before.findings.len() > 50, "the fixtures have findings");
    let rules: BTreeSet<&str> = before.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules.len(),
        archlint_rules::all_meta().len(),
        "every rule is exercised: {rules:?}"
    );
    assert_eq!(before.findings.len(), after.findings.len());
    // Findings are sorted by path and line, and the padding keeps their order.
    for (b, a) in before.findings.iter().zip(&after.findings) {
        let at = |f: &archlint_model::Finding| {
            format!(
                "{} {}:{}",
                f.rule, f.location.path, f.location.span.start.line
            )
        };
        assert_eq!((&b.rule, &b.location.path), (&a.rule, &a.location.path));
        assert!(
            a.location.span.start.line > b.location.span.start.line,
            "{} moved to {}",
            at(b),
            at(a)
        );
        assert_eq!(b.fingerprint, a.fingerprint, "{} moved to {}", at(b), at(a));
    }
}
