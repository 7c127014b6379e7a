//! A panic after extraction never ends the scan: one `.sql` file, one
//! framework's route builder, one group of database collectors, the call
//! analysis and one rule each fail alone, with a `panic` notification naming
//! them, and everything else is still reported. The panics are injected
//! through the engine's test seam (set once for this test binary).

use archlint_engine::{ScanOptions, scan};
use archlint_model::{Notification, NotificationKind};
use std::path::Path;

const FLASK_APP: &str = r#"from flask import Flask
app = Flask(__name__)

@app.post("/orders")
def create_order():
    return "created"
"#;

const FASTAPI_APP: &str = r#"from fastapi import FastAPI
api = FastAPI()

@api.post("/items")
def create_item():
    return {}
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn panic_about<'a>(notes: &'a [Notification], needle: &str) -> Option<&'a Notification> {
    notes
        .iter()
        .find(|n| n.kind == NotificationKind::Panic && n.message.contains(needle))
}

#[test]
fn panics_after_extraction_are_contained() {
    archlint_engine::guard::inject_panics_for_tests(&[
        "boom.sql",
        "routes fastapi",
        "database django",
        "call graph",
        "rule db/n-plus-one",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "app.py", FLASK_APP);
    write(r, "api.py", FASTAPI_APP);
    write(
        r,
        "schema/good.sql",
        "CREATE TABLE good (id INT PRIMARY KEY);\n",
    );
    write(
        r,
        "schema/boom.sql",
        "CREATE TABLE boom (id INT PRIMARY KEY);\n",
    );
    let s = scan(
        &ScanOptions {
            paths: vec![r.to_path_buf()],
            threads: 2,
            project_root: Some(r.to_path_buf()),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("the scan survives every panic");
    let notes = &s.notifications;

    let sql = notes.iter().find(|n| {
        n.kind == NotificationKind::Panic && n.path.as_deref() == Some("schema/boom.sql")
    });
    assert!(sql.is_some(), "the .sql file is named: {notes:#?}");
    assert!(
        s.db.schema.tables.contains_key("good"),
        "the other .sql file is read"
    );
    assert!(!s.db.schema.tables.contains_key("boom"));

    assert!(
        panic_about(notes, "fastapi route builder").is_some(),
        "{notes:#?}"
    );
    assert!(
        s.routes.iter().any(|rt| rt.path == "/orders"),
        "flask routes survive"
    );
    assert!(!s.routes.iter().any(|rt| rt.path == "/items"));

    assert!(
        panic_about(notes, "django database collectors").is_some(),
        "{notes:#?}"
    );
    assert!(panic_about(notes, "call analysis").is_some(), "{notes:#?}");
    let rule = panic_about(notes, "rule db/n-plus-one").expect("the rule is named");
    assert_eq!(rule.path, None);

    assert!(
        s.findings
            .iter()
            .any(|f| f.rule == "api/unauthenticated-endpoint" && f.message.contains("/orders")),
        "the other rules still report: {:#?}",
        s.findings
    );
}
