//! Every configuration key, end to end: a small Flask project scanned with
//! and without a config, and the findings, files and schema each key must
//! change. Also where the config is found: `archlint.toml`, `.archlint.toml`,
//! `[tool.archlint]` in `pyproject.toml`, the scanned directory before the
//! git work tree's root.

use archlint_engine::{Scan, ScanOptions, scan};
use archlint_model::NotificationKind;
use std::collections::BTreeSet;
use std::path::Path;

const APP: &str = r#"from flask import Flask
from myauth import my_auth, open_route, slow_down

app = Flask(__name__)


@app.post("/orders")
def create_order():
    return "created"


@app.post("/login")
def login():
    return "ok"


@app.post("/status")
def status():
    return "ok"


@app.post("/secure")
@my_auth
def secure():
    return "ok"


@app.post("/open")
@open_route
def open_endpoint():
    return "ok"


@app.post("/login/otp")
@slow_down
def login_otp():
    return "ok"
"#;

/// Test code: excluded by default, scanned when `exclude` replaces the defaults.
const TEST_APP: &str = r#"from flask import Flask

tapp = Flask(__name__)


@tapp.post("/from-tests")
def from_tests():
    return "ok"
"#;

const LEGACY_APP: &str = r#"from flask import Flask

lapp = Flask(__name__)


@lapp.post("/legacy")
def legacy():
    return "ok"
"#;

/// Backquoted names: MySQL, not PostgreSQL (the default dialect).
const MYSQL_SCHEMA: &str = "CREATE TABLE `items` (`id` INT PRIMARY KEY, `name` TEXT);\n";

/// Every key, replacing what replaces.
const REPLACING: &str = r#"public-paths = ["/status"]
exclude = ["legacy/**"]

[rules.level]
"api/unauthenticated-endpoint" = "note"
"api/missing-rate-limit" = "off"

[auth]
decorators = ["my_auth"]

[public]
decorators = ["open_route"]

[rate-limit]
decorators = ["slow_down"]

[database]
dialect = "mysql"
"#;

/// The extending forms.
const EXTENDING: &str = r#"extend-public-paths = ["/status"]
extend-exclude = ["legacy/**"]

[rate-limit]
decorators = ["slow_down"]
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(dir.path(), "tests/test_views.py", TEST_APP);
    write(dir.path(), "legacy/old.py", LEGACY_APP);
    write(dir.path(), "schema/items.sql", MYSQL_SCHEMA);
    dir
}

fn run(path: &Path, project_root: Option<&Path>) -> Scan {
    scan(
        &ScanOptions {
            paths: vec![path.to_path_buf()],
            threads: 1,
            project_root: project_root.map(Path::to_path_buf),
            run_rules: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("scan succeeds")
}

/// `rule level path route` for each finding, e.g. `api/missing-rate-limit error app.py /login`.
fn findings(s: &Scan) -> BTreeSet<String> {
    s.findings
        .iter()
        .map(|f| {
            let route = f
                .message
                .split_once("POST ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .unwrap_or("?");
            format!(
                "{} {} {} {route}",
                f.rule,
                f.level.as_str(),
                f.location.path
            )
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn baseline() -> BTreeSet<String> {
    set(&[
        "api/missing-rate-limit error app.py /login",
        "api/missing-rate-limit error app.py /login/otp",
        "api/unauthenticated-endpoint error app.py /open",
        "api/unauthenticated-endpoint error app.py /orders",
        "api/unauthenticated-endpoint error app.py /secure",
        "api/unauthenticated-endpoint error app.py /status",
        "api/unauthenticated-endpoint error legacy/old.py /legacy",
    ])
}

fn sql_parse_notes(s: &Scan) -> usize {
    s.notifications
        .iter()
        .filter(|n| n.kind == NotificationKind::SqlParse)
        .count()
}

#[test]
fn without_a_config_the_defaults_apply() {
    let dir = project();
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(findings(&s), baseline());
    assert!(s.config_source.is_none());
    assert_eq!(
        sql_parse_notes(&s),
        1,
        "PostgreSQL does not read backquotes"
    );
}

#[test]
fn every_key_of_a_replacing_config_applies() {
    let dir = project();
    write(dir.path(), "archlint.toml", REPLACING);
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(
        findings(&s),
        set(&[
            // Level override to note; missing-rate-limit is off.
            "api/unauthenticated-endpoint note app.py /orders",
            // public-paths replaced the defaults: /login is no longer public,
            // /status now is.
            "api/unauthenticated-endpoint note app.py /login",
            "api/unauthenticated-endpoint note app.py /login/otp",
            // exclude replaced the default test-code excludes.
            "api/unauthenticated-endpoint note tests/test_views.py /from-tests",
            // /secure ([auth]), /open ([public]) and legacy/ (exclude) are silent.
        ])
    );
    assert_eq!(sql_parse_notes(&s), 0, "the MySQL dialect reads backquotes");
    let items = &s.db.schema.tables["items"];
    assert_eq!(items.columns.len(), 2);
}

#[test]
fn extending_keys_add_to_the_defaults() {
    let dir = project();
    write(dir.path(), "archlint.toml", EXTENDING);
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(
        findings(&s),
        set(&[
            // /login stays public by default but still wants a rate limit;
            // /login/otp has one ([rate-limit]); /status is public too now;
            // legacy/ and tests/ are both excluded.
            "api/missing-rate-limit error app.py /login",
            "api/unauthenticated-endpoint error app.py /open",
            "api/unauthenticated-endpoint error app.py /orders",
            "api/unauthenticated-endpoint error app.py /secure",
        ])
    );
}

#[test]
fn dotfile_and_pyproject_configs_are_found() {
    let expected = {
        let dir = project();
        write(dir.path(), "archlint.toml", REPLACING);
        findings(&run(dir.path(), Some(dir.path())))
    };
    let dir = project();
    write(dir.path(), ".archlint.toml", REPLACING);
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(findings(&s), expected);
    assert!(s.config_source.unwrap().ends_with(".archlint.toml"));

    let dir = project();
    let table = REPLACING
        .replace("\n[", "\n[tool.archlint.")
        .replace("public-paths", "[tool.archlint]\npublic-paths");
    let pyproject = format!("[project]\nname = \"demo\"\n\n{table}");
    write(dir.path(), "pyproject.toml", &pyproject);
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(findings(&s), expected, "{pyproject}");
    assert!(s.config_source.unwrap().ends_with("pyproject.toml"));

    // A pyproject.toml without our table is not a config.
    let dir = project();
    write(dir.path(), "pyproject.toml", "[project]\nname = \"demo\"\n");
    let s = run(dir.path(), Some(dir.path()));
    assert_eq!(findings(&s), baseline());
    assert!(s.config_source.is_none());
}

#[test]
fn archlint_toml_comes_before_the_dotfile_and_pyproject() {
    let dir = project();
    write(dir.path(), "archlint.toml", EXTENDING);
    write(dir.path(), ".archlint.toml", REPLACING);
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.archlint.rules]\nselect = [\"db\"]\n",
    );
    let s = run(dir.path(), Some(dir.path()));
    assert!(s.config_source.as_ref().unwrap().ends_with("archlint.toml"));
    assert!(findings(&s).contains("api/missing-rate-limit error app.py /login"));
}

#[test]
fn the_scanned_directory_config_comes_before_the_git_root_one() {
    let top = tempfile::tempdir().unwrap();
    std::fs::create_dir(top.path().join(".git")).unwrap();
    write(
        top.path(),
        "archlint.toml",
        "[rules.level]\n\"api/unauthenticated-endpoint\" = \"off\"\n",
    );
    write(top.path(), "svc/app.py", APP);
    let svc = top.path().join("svc");
    // No config in svc/: the git root's applies.
    let s = run(&svc, None);
    assert!(
        s.findings
            .iter()
            .all(|f| f.rule != "api/unauthenticated-endpoint"),
        "{:?}",
        findings(&s)
    );
    assert!(!s.findings.is_empty());
    // A config in svc/ wins.
    write(
        &svc,
        "archlint.toml",
        "[rules]\nselect = [\"api/unauthenticated-endpoint\"]\n",
    );
    let s = run(&svc, None);
    assert!(
        s.findings
            .iter()
            .any(|f| f.rule == "api/unauthenticated-endpoint"),
        "{:?}",
        findings(&s)
    );
    assert!(
        s.config_source
            .unwrap()
            .starts_with(svc.canonicalize().unwrap())
    );
}

/// An actix handler that hands the request to another crate's verifier.
const GATEWAY_APP: &str = r#"use actix_web::{post, App, HttpRequest, HttpResponse};

#[post("/ingest")]
async fn ingest(req: HttpRequest) -> HttpResponse {
    gateway::verify_gateway_jwt(&req).expect("rejected");
    HttpResponse::Accepted().finish()
}

fn main() {
    App::new().service(ingest);
}
"#;

#[test]
fn auth_calls_name_other_crates_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"ingest\"\nversion = \"0.1.0\"\n",
    );
    write(dir.path(), "src/main.rs", GATEWAY_APP);
    let before = run(dir.path(), Some(dir.path()));
    assert_eq!(
        findings(&before),
        set(&["api/unauthenticated-endpoint error src/main.rs /ingest"])
    );
    write(
        dir.path(),
        "archlint.toml",
        "[auth]\ncalls = [\"verify_gateway_*\"]\n",
    );
    let after = run(dir.path(), Some(dir.path()));
    assert_eq!(findings(&after), set(&[]));
}
