//! Same input, same output: the JSON and SARIF of a scan of every fixture app
//! are byte-identical whatever the number of worker threads.

use archlint_engine::{ScanOptions, scan};
use std::path::Path;

#[test]
fn json_is_identical_whatever_the_thread_count() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let render = |threads: usize| {
        let s = scan(
            &ScanOptions {
                paths: vec![testdata.clone()],
                threads,
                project_root: Some(testdata.clone()),
                run_rules: true,
                ..Default::default()
            },
            &|_| {},
        )
        .unwrap();
        let input = s.report_input("archlint", "0.0.0", "https://example.invalid");
        let mut json = Vec::new();
        archlint_report::write_json(&input, &mut json).unwrap();
        let mut sarif = Vec::new();
        archlint_report::write_sarif(&input, &mut sarif).unwrap();
        (json, sarif, s.findings.len())
    };
    let one = render(1);
    assert!(
        one.2 > 0,
        "the fixtures must produce findings for this test to mean anything"
    );
    for threads in [2, 4, 8] {
        let many = render(threads);
        assert!(
            one.0 == many.0,
            "JSON differs between 1 and {threads} threads"
        );
        assert!(
            one.1 == many.1,
            "SARIF differs between 1 and {threads} threads"
        );
    }
}
