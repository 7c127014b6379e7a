//! Bad input never stops a scan and never changes other files' results:
//! syntax errors, invalid UTF-8, binary files, oversized files, unreadable
//! files, empty directories, missing paths, deep nesting, and a panic inside
//! one file's analysis.

use archlint_engine::{EngineError, Scan, ScanOptions, scan};
use archlint_model::NotificationKind;
use std::path::Path;

const GOOD_APP: &str = r#"from flask import Flask
app = Flask(__name__)

@app.post("/orders")
def create_order():
    return "created"

@app.get("/orders")
def list_orders():
    return "[]"
"#;

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn run(root: &Path) -> Scan {
    run_with(root, 2)
}

fn run_with(root: &Path, threads: usize) -> Scan {
    scan(
        &ScanOptions {
            paths: vec![root.to_path_buf()],
            threads,
            project_root: Some(root.to_path_buf()),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("scan succeeds")
}

fn kinds(s: &Scan, path: &str) -> Vec<NotificationKind> {
    s.notifications
        .iter()
        .filter(|n| n.path.as_deref() == Some(path))
        .map(|n| n.kind)
        .collect()
}

/// Findings of the good file, as comparable tuples.
fn good_findings(s: &Scan) -> Vec<(String, u32, String, String)> {
    s.findings
        .iter()
        .filter(|f| f.location.path == "app.py")
        .map(|f| {
            (
                f.rule.clone(),
                f.location.span.start.line,
                f.level.as_str().to_string(),
                f.message.clone(),
            )
        })
        .collect()
}

fn baseline() -> Vec<(String, u32, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", GOOD_APP.as_bytes());
    good_findings(&run(dir.path()))
}

#[test]
fn bad_files_are_reported_and_do_not_affect_good_ones() {
    let base = baseline();
    assert!(
        !base.is_empty(),
        "the good app must produce findings for this test to mean anything"
    );

    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", GOOD_APP.as_bytes());
    // Syntax error, but a route before it still parses.
    write(
        r,
        "broken.py",
        b"from flask import Flask\nbroken = Flask(__name__)\n\n@broken.post('/x')\ndef handler_x():\n    return 1\n\ndef oops(:\n    pass\n",
    );
    // Invalid UTF-8 in a string literal.
    write(r, "latin1.py", b"NAME = '\xe9t\xe9'\n");
    // Binary content with a .py name.
    write(r, "blob.py", b"\x00\x01\x02PK\x03\x04");
    // Deeply nested brackets and blocks.
    let mut deep = String::from("x = ");
    deep.push_str(&"[".repeat(100_000));
    deep.push_str(&"]".repeat(100_000));
    deep.push('\n');
    write(r, "deep.py", deep.as_bytes());
    let mut deep_rs = String::from("fn f() {");
    deep_rs.push_str(&"{".repeat(50_000));
    deep_rs.push_str(&"}".repeat(50_000));
    deep_rs.push_str("}\n");
    write(r, "deep.rs", deep_rs.as_bytes());
    // Empty file and empty directory.
    write(r, "empty.py", b"");
    std::fs::create_dir_all(r.join("nothing_here")).unwrap();

    let s = run(r);
    assert_eq!(
        good_findings(&s),
        base,
        "bad files changed the good file's findings"
    );
    assert_eq!(kinds(&s, "broken.py"), [NotificationKind::SyntaxError]);
    assert!(
        s.routes
            .iter()
            .any(|rt| rt.path == "/x" && rt.handler.name == "handler_x"),
        "the part of a broken file that parses is still analysed"
    );
    assert_eq!(kinds(&s, "latin1.py"), [NotificationKind::NotUtf8]);
    assert_eq!(kinds(&s, "blob.py"), [NotificationKind::Binary]);
    assert!(kinds(&s, "empty.py").is_empty());
    assert_eq!(
        kinds(&s, "deep.py"),
        [NotificationKind::Truncated],
        "100k nested lists are cut off with a notice"
    );
    // Nested blocks are walked iteratively: nothing is cut off (see
    // `deeply_nested_rust_blocks_are_analysed_to_the_bottom`).
    assert!(kinds(&s, "deep.rs").is_empty());
    assert_eq!(s.files_skipped, 1, "only the binary file is skipped");
}

#[test]
fn deeply_nested_rust_blocks_are_analysed_to_the_bottom() {
    let dir = tempfile::tempdir().unwrap();
    let query = r#"let q = format!("SELECT * FROM users WHERE name = '{}'", name); sqlx::query(&q).fetch_all(&pool);"#;
    let depth = 50_000;
    let text = format!(
        "async fn f(name: String, pool: Pool) {{{}{query}{}}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    write(dir.path(), "blocks.rs", text.as_bytes());
    let s = run(dir.path());
    assert!(kinds(&s, "blocks.rs").is_empty());
    assert!(
        s.findings
            .iter()
            .any(|f| f.rule == "db/sql-injection" && f.location.path == "blocks.rs"),
        "the query at the bottom is seen: {:?}",
        s.findings
    );
}

#[test]
fn oversized_files_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", GOOD_APP.as_bytes());
    write(r, "big.py", "x = 1\n".repeat(200).as_bytes());
    // `.sql` files are read by their own reader, under the same limit.
    let table = "CREATE TABLE t (id int);\n";
    write(r, "db/big.sql", table.repeat(100).as_bytes());
    write(r, "db/small.sql", table.as_bytes());
    write(r, "archlint.toml", b"max-file-size = 1000\n");
    let s = run(r);
    assert_eq!(kinds(&s, "big.py"), [NotificationKind::TooLarge]);
    assert_eq!(kinds(&s, "db/big.sql"), [NotificationKind::TooLarge]);
    assert!(kinds(&s, "db/small.sql").is_empty());
    assert!(
        s.db.schema.tables.contains_key("t"),
        "the small file is read"
    );
    assert_eq!(good_findings(&s), baseline());
}

#[test]
fn default_size_limit_is_two_mebibytes() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let line = "x = 1\n";
    let n = 2 * 1024 * 1024 / line.len() + 1;
    write(r, "big.py", line.repeat(n).as_bytes());
    write(r, "ok.py", line.repeat(1000).as_bytes());
    let s = run(r);
    assert_eq!(kinds(&s, "big.py"), [NotificationKind::TooLarge]);
    assert!(kinds(&s, "ok.py").is_empty());
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", GOOD_APP.as_bytes());
    write(r, "secret.py", b"x = 1\n");
    let p = r.join("secret.py");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reads. Use a file that
        // vanishes between discovery and reading instead.
        eprintln!("skipping permission check: files stay readable for this user");
        return;
    }
    let s = run(r);
    assert_eq!(kinds(&s, "secret.py"), [NotificationKind::Unreadable]);
    assert_eq!(good_findings(&s), baseline());
}

#[test]
fn a_file_that_disappears_is_unreadable_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let d = archlint_engine::discover::Discovered {
        abs: dir.path().join("gone.py"),
        language: archlint_model::Language::Python,
    };
    let out = archlint_engine::extract::analyse(&d, "gone.py", 1 << 20);
    assert!(out.facts.is_none());
    assert_eq!(out.notifications[0].kind, NotificationKind::Unreadable);
}

#[test]
fn a_panic_in_one_file_is_contained() {
    archlint_engine::extract::inject_panic_for_tests("explodes");
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", GOOD_APP.as_bytes());
    write(r, "explodes.py", b"x = 1\n");
    let s = run(r);
    assert_eq!(kinds(&s, "explodes.py"), [NotificationKind::Panic]);
    assert_eq!(good_findings(&s), baseline());
}

#[test]
fn empty_directory_scans_clean() {
    let dir = tempfile::tempdir().unwrap();
    let s = run(dir.path());
    assert_eq!(s.files_scanned, 0);
    assert!(s.findings.is_empty());
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let err = scan(
        &ScanOptions {
            paths: vec!["/definitely/not/here".into()],
            ..Default::default()
        },
        &|_| {},
    )
    .err()
    .expect("missing path is an error");
    match err {
        EngineError::Io { path, .. } => assert_eq!(path, Path::new("/definitely/not/here")),
        other => panic!("unexpected error {other}"),
    }
}

#[test]
fn malformed_config_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "archlint.toml",
        b"[rules]\nignore = [\"api\"\nselect = 3\n",
    );
    let err = scan(
        &ScanOptions {
            paths: vec![dir.path().to_path_buf()],
            ..Default::default()
        },
        &|_| {},
    )
    .err()
    .expect("bad config is an error");
    let msg = err.to_string();
    assert!(msg.contains("archlint.toml:"), "{msg}");
    assert!(
        matches!(err, EngineError::Config { line: Some(_), .. }),
        "{msg}"
    );
}

/// The text report says what happened to each file once, in the engine's
/// words: a non-UTF-8 file was analysed, so it is not listed as skipped, and
/// a skipped file does not read "skipped ...: skipped: ...".
#[test]
fn text_report_notifications_say_what_happened_once() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", GOOD_APP.as_bytes());
    write(r, "latin1.py", b"NAME = '\xe9t\xe9'\n");
    write(r, "blob.py", b"\x00\x01\x02PK\x03\x04");
    write(r, "big.py", "x = 1\n".repeat(200).as_bytes());
    write(r, "archlint.toml", b"max-file-size = 1000\n");
    let s = run(r);
    let input = s.report_input("archlint", "0.0.0", "https://example.invalid");
    let mut out = Vec::new();
    archlint_report::write_text(&input, &mut out, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    let line = |file: &str| -> &str {
        text.lines()
            .find(|l| l.contains(&format!(" {file}: ")))
            .unwrap_or_else(|| panic!("no line for {file}:\n{text}"))
    };
    assert!(!line("latin1.py").contains("skipped"), "{text}");
    assert!(line("latin1.py").contains("analysed"), "{text}");
    for skipped in ["blob.py", "big.py"] {
        assert_eq!(
            line(skipped).matches("skipped").count(),
            1,
            "said once: {}",
            line(skipped)
        );
    }
    assert_eq!(s.files_skipped, 2);
    assert!(text.ends_with("(2 skipped)\n"), "{text}");
}
