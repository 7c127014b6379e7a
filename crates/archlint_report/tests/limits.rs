//! GitHub's result limit on the real writer: 25,001 results become 25,000,
//! the most severe are kept, and the log says what was left out.

mod common;

use archlint_model::{Finding, Level};
use archlint_report::{ReportInput, write_sarif};

#[test]
fn keeps_the_25000_most_severe_results() {
    let fx = common::fixture();
    let template = &fx.findings[1];
    // One note first, then 25,000 warnings: the note is the one to go.
    let mut findings: Vec<Finding> = Vec::with_capacity(25_001);
    let mut note = template.clone();
    note.level = Level::Note;
    note.message = "the least severe".into();
    findings.push(note);
    for i in 0..25_000u32 {
        let mut f = template.clone();
        f.flow.clear();
        f.location.span.start.line = i + 1;
        f.location.span.end.line = i + 1;
        findings.push(f);
    }
    let input = ReportInput {
        findings: &findings,
        ..fx.input()
    };
    let mut out = Vec::new();
    write_sarif(&input, &mut out).expect("write");
    let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let run = &value["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 25_000);
    assert!(
        results.iter().all(|r| r["level"] == "warning"),
        "the note was dropped"
    );
    // Original order is kept among the survivors.
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(
        results[24_999]["locations"][0]["physicalLocation"]["region"]["startLine"],
        25_000
    );
    let notices = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let limit = notices
        .iter()
        .find(|n| n["descriptor"]["id"] == "result-limit")
        .expect("a result-limit notification");
    let text = limit["message"]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("25001") && text.contains("25000") && text.contains("the 1 least severe"),
        "{text}"
    );
}
