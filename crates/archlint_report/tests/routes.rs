//! Snapshot tests of the route listings in their four formats.

mod common;

use archlint_report::{RoutesFormat, write_routes};

fn render(format: RoutesFormat) -> String {
    let mut out = Vec::new();
    write_routes(&common::routes(), format, &mut out).expect("write routes");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn table() {
    let table = render(RoutesFormat::Table);
    assert!(!table.contains('\x1b'));
    assert!(
        table.lines().all(|l| l == l.trim_end()),
        "no trailing spaces"
    );
    insta::assert_snapshot!("routes_table", table);
}

#[test]
fn csv() {
    let csv = render(RoutesFormat::Csv);
    assert!(csv.ends_with("\r\n"));
    // Every record has 7 fields once quoting is honoured.
    insta::assert_snapshot!("routes_csv", csv.replace("\r\n", "⏎\n"));
}

#[test]
fn json() {
    let json = render(RoutesFormat::Json);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value.as_array().map(Vec::len), Some(3));
    insta::assert_snapshot!("routes_json", json);
}

#[test]
fn markdown() {
    insta::assert_snapshot!("routes_markdown", render(RoutesFormat::Markdown));
}

#[test]
fn empty() {
    let mut out = Vec::new();
    write_routes(&[], RoutesFormat::Json, &mut out).expect("write");
    assert_eq!(out, b"[]\n");
    let mut out = Vec::new();
    write_routes(&[], RoutesFormat::Csv, &mut out).expect("write");
    assert_eq!(
        out,
        b"methods,path,handler,location,framework,auth,rate_limit\r\n"
    );
}
