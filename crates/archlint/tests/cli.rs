//! The command-line contract: subcommands, exit codes (0 clean, 1 findings,
//! 2 usage/config/I/O error) and messages that name what went wrong.

use std::path::Path;
use std::process::{Command, Output};

fn archlint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const APP: &str = r#"from flask import Flask
from flask_login import login_required
app = Flask(__name__)

@app.post("/orders")
def create_order():
    return "created"

@app.get("/reports")
@login_required
def reports():
    return "[]"
"#;

fn app_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    dir
}

#[test]
fn findings_exit_one_and_exit_zero_overrides() {
    let dir = app_dir();
    let o = archlint(&["scan", ".", "--quiet"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("api/unauthenticated-endpoint"),
        "{}",
        stdout(&o)
    );
    let o = archlint(&["scan", ".", "--exit-zero"], dir.path());
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn fail_on_threshold() {
    let dir = app_dir();
    // The unauthenticated POST is an error.
    let o = archlint(
        &[
            "scan",
            ".",
            "--select",
            "api/unauthenticated-endpoint",
            "--fail-on",
            "error",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let o = archlint(
        &["scan", ".", "--ignore", "api", "--fail-on", "note"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn clean_code_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("util.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    let o = archlint(&["scan", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn output_file_and_formats() {
    let dir = app_dir();
    for format in ["json", "sarif"] {
        let out = dir.path().join(format!("out.{format}"));
        let o = archlint(
            &[
                "scan",
                ".",
                "--format",
                format,
                "-o",
                out.to_str().unwrap(),
                "--exit-zero",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(v.is_object());
        assert!(stdout(&o).is_empty(), "nothing on stdout with -o");
    }
}

/// GitHub wants every rule the tool can report in `tool.driver.rules`, the
/// same list in every run, whatever `--select` chose; `ruleIndex` points into it.
#[test]
fn sarif_lists_every_rule_whatever_is_selected() {
    let dir = app_dir();
    let o = archlint(&["rules", "--format", "json"], dir.path());
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let all: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(all.len() > 2, "{all:?}");
    for select in [
        "api/missing-rate-limit",
        "api/unauthenticated-endpoint",
        "db",
    ] {
        let o = archlint(
            &[
                "scan",
                ".",
                "--format",
                "sarif",
                "--exit-zero",
                "--select",
                select,
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let run = &log["runs"][0];
        let listed: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(listed, all, "--select {select}");
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(Some(&result["ruleId"].as_str().unwrap()), listed.get(index));
        }
    }
    let o = archlint(
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "--exit-zero",
            "--select",
            "api/unauthenticated-endpoint",
        ],
        dir.path(),
    );
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        !log["runs"][0]["results"].as_array().unwrap().is_empty(),
        "the app has findings, so ruleIndex is checked"
    );
}

#[test]
fn routes_command_formats() {
    let dir = app_dir();
    for format in ["table", "json", "csv", "markdown"] {
        let o = archlint(&["routes", ".", "--format", format], dir.path());
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(stdout(&o).contains("/orders"), "{format}: {}", stdout(&o));
    }
}

/// `routes` and `schema` name the files they skipped or only partly parsed
/// on stderr; stdout is the same listing as without those files.
#[test]
fn routes_and_schema_list_unread_files_on_stderr() {
    let dir = app_dir();
    let schema = "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT);\n";
    std::fs::write(dir.path().join("schema.sql"), schema).unwrap();
    let clean_routes = archlint(&["routes", "."], dir.path());
    let clean_schema = archlint(&["schema", "."], dir.path());
    assert!(stdout(&clean_routes).contains("/orders"));
    assert!(stdout(&clean_schema).contains("orders"));

    std::fs::write(dir.path().join("blob.py"), b"\x00\x01binary").unwrap();
    std::fs::write(dir.path().join("broken.py"), "def oops(:\n    pass\n").unwrap();
    std::fs::write(dir.path().join("latin1.py"), b"NAME = '\xe9'\n").unwrap();
    std::fs::write(dir.path().join("bad.sql"), "CREATE TABLE (;\n").unwrap();
    let routes = archlint(&["routes", "."], dir.path());
    assert_eq!(routes.status.code(), Some(0), "{}", stderr(&routes));
    assert_eq!(stdout(&routes), stdout(&clean_routes));
    let e = stderr(&routes);
    for file in ["blob.py", "broken.py:1", "latin1.py"] {
        assert!(e.contains(file), "routes names {file}: {e}");
    }
    let schema = archlint(&["schema", "."], dir.path());
    assert_eq!(schema.status.code(), Some(0), "{}", stderr(&schema));
    assert_eq!(stdout(&schema), stdout(&clean_schema));
    let e = stderr(&schema);
    for file in ["blob.py", "broken.py:1", "latin1.py", "bad.sql:1"] {
        assert!(e.contains(file), "schema names {file}: {e}");
    }
}

/// Outside a git work tree, paths are relative to the current directory;
/// `--project-root` overrides it.
#[test]
fn paths_are_relative_to_the_current_directory_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    if dir.path().ancestors().any(|a| a.join(".git").exists()) {
        eprintln!("skipping: the temp dir is inside a git work tree");
        return;
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/app.py"), APP).unwrap();
    let path_of_first = |args: &[&str]| {
        let o = archlint(args, dir.path());
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["findings"][0]["location"]["path"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let json = ["scan", "sub", "--format", "json", "--exit-zero"];
    assert_eq!(path_of_first(&json), "sub/app.py");
    let mut overridden = json.to_vec();
    overridden.extend(["--project-root", "sub"]);
    assert_eq!(path_of_first(&overridden), "app.py");
}

#[test]
fn missing_path_exits_two_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let o = archlint(&["scan", "no/such/dir"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir"), "{}", stderr(&o));
}

#[test]
fn bad_config_exits_two_naming_file_and_line() {
    let dir = app_dir();
    std::fs::write(
        dir.path().join("archlint.toml"),
        "[rules]\nselct = [\"api\"]\n",
    )
    .unwrap();
    let o = archlint(&["scan", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("archlint.toml:2"), "{e}");
    assert!(e.contains("selct"), "{e}");
    // Values serde accepts but archlint does not: named with file and line too.
    for (text, line, what) in [
        ("[rules]\nselect = [\"api/nope\"]\n", 2, "api/nope"),
        (
            "\n[rules.level]\n\"api/missing-rate-limit\" = \"loud\"\n",
            3,
            "loud",
        ),
        ("[database]\n\ndialect = \"oracle\"\n", 3, "oracle"),
    ] {
        std::fs::write(dir.path().join("archlint.toml"), text).unwrap();
        let o = archlint(&["scan", "."], dir.path());
        assert_eq!(o.status.code(), Some(2));
        let e = stderr(&o);
        assert!(e.contains(&format!("archlint.toml:{line}")), "{e}");
        assert!(e.contains(what), "{e}");
    }
    let o = archlint(&["scan", ".", "--config", "nope.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.toml"), "{}", stderr(&o));
}

#[test]
fn bad_arguments_exit_two() {
    let dir = app_dir();
    for args in [
        vec!["scan", "--format", "xml"],
        vec!["scan", "--select", "api/nope"],
        vec!["scan", "--ignore", "nopack"],
        vec!["scan", "-j", "0"],
        vec!["frobnicate"],
        vec!["explain", "api/nope"],
    ] {
        let o = archlint(&args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?} explains itself");
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let o = archlint(&["rules"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("api/unauthenticated-endpoint") && out.contains("api/missing-rate-limit"));
    let o = archlint(&["explain", "api/missing-rate-limit"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    for h in [
        "What it finds",
        "Why it matters",
        "Example",
        "How to fix",
        "How to suppress",
    ] {
        assert!(stdout(&o).contains(h), "explain lacks {h}");
    }
}

/// docs/rules.md is generated; regenerate with
/// `cargo run -p archlint -- rules --format markdown > docs/rules.md`.
#[test]
fn rules_doc_is_in_sync() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let o = archlint(&["rules", "--format", "markdown"], &root);
    let committed = std::fs::read_to_string(root.join("docs/rules.md")).unwrap_or_default();
    assert!(
        stdout(&o) == committed,
        "docs/rules.md is stale: run `cargo run -p archlint -- rules --format markdown > docs/rules.md`"
    );
}
