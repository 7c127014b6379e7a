//! Snapshot tests of the text, JSON and SARIF reports and the rule docs, on
//! the synthetic scan in `common`.

mod common;

use archlint_report::{ReportInput, rules_markdown, write_json, write_sarif, write_text};
use std::io;

fn render(write: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("write report");
    String::from_utf8(out).expect("UTF-8 report")
}

fn text(input: &ReportInput, color: bool) -> String {
    render(|out| write_text(input, out, color))
}

fn json(input: &ReportInput) -> String {
    render(|out| write_json(input, out))
}

fn sarif(input: &ReportInput) -> String {
    render(|out| write_sarif(input, out))
}

/// No report may leak the machine's absolute root path.
fn assert_no_root(fx: &common::Fixture, report: &str) {
    let root = fx.dir.path().to_string_lossy();
    assert!(
        !report.contains(root.as_ref()),
        "report contains the absolute root {root}"
    );
}

#[test]
fn text_report() {
    let fx = common::fixture();
    let report = text(&fx.input(), false);
    assert!(
        !report.contains('\x1b'),
        "color=false must not emit ANSI escapes"
    );
    assert_no_root(&fx, &report);
    insta::assert_snapshot!("text", report);
}

#[test]
fn text_report_in_color_uses_escapes() {
    let fx = common::fixture();
    let report = text(&fx.input(), true);
    assert!(report.contains("\x1b[1m\x1b[91merror[api/unauthenticated-endpoint]"));
}

#[test]
fn text_report_never_prints_escapes_from_sources() {
    let fx = common::fixture();
    let evil = "x = 1\n\x1b[31m# red\x1b[0m = bad()\n";
    std::fs::write(fx.dir.path().join("app/evil.py"), evil).expect("write");
    let mut findings = fx.findings.clone();
    let mut f = common::finding(
        "db/n-plus-one",
        archlint_model::Level::Warning,
        "app/evil.py",
        common::span(2, 1, 2, 12),
        "message with \x1b[2J escape\nand newline",
        "evil",
    );
    f.related = vec![common::related(
        "app/evil.py",
        common::span(1, 1, 1, 2),
        "\x1b]0;title\x07",
    )];
    findings.push(f);
    let input = ReportInput {
        findings: &findings,
        ..fx.input()
    };
    let report = text(&input, false);
    assert!(!report.contains('\x1b'), "{report}");
}

#[test]
fn empty_text_report() {
    let fx = common::fixture();
    let input = ReportInput {
        findings: &[],
        notifications: &[],
        ..fx.input()
    };
    assert_eq!(
        text(&input, false),
        "0 errors, 0 warnings, 0 notes in 4 files (1 skipped)\n"
    );
}

#[test]
fn json_report() {
    let fx = common::fixture();
    let report = json(&fx.input());
    assert_no_root(&fx, &report);
    assert!(report.ends_with("}\n"));
    let value: serde_json::Value = serde_json::from_str(&report).expect("valid JSON");
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["errors"], 1);
    insta::assert_snapshot!("json", report);
}

#[test]
fn sarif_report() {
    let fx = common::fixture();
    let report = sarif(&fx.input());
    assert_no_root(&fx, &report);
    assert!(!report.contains("primaryLocationLineHash"));
    let value: serde_json::Value = serde_json::from_str(&report).expect("valid JSON");
    let mut uris = Vec::new();
    collect_uris(&value, &mut uris);
    assert_eq!(uris.len(), 10);
    for uri in uris {
        assert!(
            !uri.contains('\\')
                && !uri.contains("file:")
                && !uri.starts_with('/')
                && !uri.split('/').any(|s| s == ".."),
            "{uri}"
        );
    }
    insta::assert_snapshot!("sarif", report);
}

fn collect_uris<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("uri", Some(uri)) => out.push(uri),
                    _ => collect_uris(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_uris(v, out)),
        _ => {}
    }
}

#[test]
fn empty_sarif_has_an_empty_results_array() {
    let fx = common::fixture();
    let input = ReportInput {
        findings: &[],
        notifications: &[],
        ..fx.input()
    };
    let value: serde_json::Value = serde_json::from_str(&sarif(&input)).expect("valid JSON");
    let run = &value["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"],
        serde_json::json!([])
    );
}

#[test]
fn sarif_escapes_uris_and_indexes_rules() {
    let fx = common::fixture();
    let value: serde_json::Value = serde_json::from_str(&sarif(&fx.input())).expect("valid JSON");
    let results = &value["runs"][0]["results"];
    let uri = &results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "my%20app/%231%20views.py");
    assert_eq!(results[0]["ruleIndex"], 0);
    assert_eq!(results[1]["ruleIndex"], 1);
    assert_eq!(results[0]["relatedLocations"][1]["id"], 1);
    assert_eq!(
        results[1]["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[test]
fn reports_are_deterministic() {
    let fx = common::fixture();
    let input = fx.input();
    assert_eq!(text(&input, false), text(&input, false));
    assert_eq!(json(&input), json(&input));
    assert_eq!(sarif(&input), sarif(&input));
    // Another root holding the same files gives the same bytes.
    let other = common::fixture();
    assert_eq!(sarif(&input), sarif(&other.input()));
    assert_eq!(text(&input, false), text(&other.input(), false));
}

#[test]
fn rules_docs() {
    let md = rules_markdown(&common::rules());
    insta::assert_snapshot!("rules_markdown", md);
}
