//! Reported paths and the files behind them: a scanned path outside the
//! project root, or a file name that is not UTF-8, still gets its inline
//! suppressions and its source snippets, because the engine keeps where each
//! reported path really is.

use archlint_engine::{Scan, ScanOptions, scan};
use std::path::{Path, PathBuf};

const APP: &str = r#"from flask import Flask
app = Flask(__name__)

@app.post("/orders")  # archlint: ignore[api]
def create_order():
    return "created"

@app.post("/items")
def create_item():
    return "created"
"#;

fn run(paths: Vec<PathBuf>, project_root: Option<&Path>) -> Scan {
    scan(
        &ScanOptions {
            paths,
            threads: 1,
            project_root: project_root.map(Path::to_path_buf),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("scan succeeds")
}

fn text_report(s: &Scan) -> String {
    let input = s.report_input("archlint", "0.0.0", "https://example.invalid");
    let mut out = Vec::new();
    archlint_report::write_text(&input, &mut out, false).unwrap();
    String::from_utf8(out).unwrap()
}

/// Suppressions applied and snippets shown for the findings of `path`.
fn assert_suppressed_and_snippets(s: &Scan, path: &str) {
    let mine: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.location.path == path)
        .collect();
    assert!(
        mine.iter().any(|f| f.message.contains("/items")),
        "the unsuppressed route is reported under `{path}`: {:?}",
        s.findings
            .iter()
            .map(|f| (&f.location.path, &f.message))
            .collect::<Vec<_>>()
    );
    assert!(
        !mine.iter().any(|f| f.message.contains("/orders")),
        "the inline suppression applies"
    );
    let text = text_report(s);
    assert!(
        text.contains("def create_item():"),
        "the text report shows the source line:\n{text}"
    );
}

#[test]
fn a_scanned_directory_outside_the_project_root() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let proj = elsewhere.path().join("svc");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("app.py"), APP).unwrap();
    let s = run(vec![proj.clone()], Some(root.path()));
    assert_suppressed_and_snippets(&s, "svc/app.py");
}

#[test]
fn a_scanned_file_outside_the_project_root() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let proj = elsewhere.path().join("svc");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("app.py"), APP).unwrap();
    let s = run(vec![proj.join("app.py")], Some(root.path()));
    assert_suppressed_and_snippets(&s, "svc/app.py");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(dir.path().join(name), APP).unwrap();
    let s = run(vec![dir.path().to_path_buf()], Some(dir.path()));
    assert_suppressed_and_snippets(&s, "caf\u{fffd}.py");
}

#[test]
fn paths_are_relative_to_the_git_work_tree_unless_overridden() {
    let top = tempfile::tempdir().unwrap();
    std::fs::create_dir(top.path().join(".git")).unwrap();
    let svc = top.path().join("svc");
    std::fs::create_dir_all(&svc).unwrap();
    std::fs::write(svc.join("app.py"), APP).unwrap();
    let top_abs = top.path().canonicalize().unwrap();

    let s = run(vec![svc.clone()], None);
    assert_eq!(s.root, top_abs, "the enclosing git work tree");
    assert_suppressed_and_snippets(&s, "svc/app.py");
    let s = run(vec![svc.join("app.py")], None);
    assert_eq!(s.root, top_abs, "from a file, its directory's work tree");
    assert_suppressed_and_snippets(&s, "svc/app.py");

    let s = run(vec![svc.clone()], Some(&svc));
    assert_eq!(s.root, svc.canonicalize().unwrap(), "--project-root wins");
    assert_suppressed_and_snippets(&s, "app.py");
}

#[test]
fn a_git_file_marks_a_work_tree_too() {
    // Linked worktrees and submodules have a `.git` file, not a directory.
    let top = tempfile::tempdir().unwrap();
    std::fs::write(top.path().join(".git"), "gitdir: /elsewhere\n").unwrap();
    let svc = top.path().join("svc");
    std::fs::create_dir_all(svc.join("inner")).unwrap();
    std::fs::write(svc.join("inner/app.py"), APP).unwrap();
    let s = run(vec![svc.join("inner")], None);
    assert_eq!(s.root, top.path().canonicalize().unwrap());
    assert_suppressed_and_snippets(&s, "svc/inner/app.py");
}
