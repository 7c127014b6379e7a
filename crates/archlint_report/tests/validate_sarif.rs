//! Runs the shared SARIF validator (JSON schema + GitHub's checks) on the
//! SARIF of the synthetic scan and of a clean run (`"results": []`). Opt-in, because the validator installs
//! `jsonschema` from PyPI on first use: set `ARCHLINT_VALIDATE_SARIF=1`.

mod common;

use archlint_report::{ReportInput, write_sarif};
use std::path::PathBuf;
use std::process::Command;

/// The validator in `shared/sarif/`: where sessions find it, or beside the checkout (CI).
fn validator() -> Option<PathBuf> {
    let beside_checkout =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sarif/validate-sarif");
    [
        PathBuf::from("/work/shared/sarif/validate-sarif"),
        beside_checkout,
    ]
    .into_iter()
    .find(|p| p.is_file())
}

#[test]
fn synthetic_and_clean_sarif_pass_the_validator() {
    if std::env::var("ARCHLINT_VALIDATE_SARIF").as_deref() != Ok("1") {
        eprintln!("skipped: set ARCHLINT_VALIDATE_SARIF=1 to run validate-sarif");
        return;
    }
    let Some(script) = validator() else {
        eprintln!("skipped: validate-sarif not found");
        return;
    };
    let fx = common::fixture();
    let clean_run = ReportInput {
        findings: &[],
        notifications: &[],
        ..fx.input()
    };
    let out_dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (name, input) in [("archlint.sarif", fx.input()), ("clean.sarif", clean_run)] {
        let mut sarif = Vec::new();
        write_sarif(&input, &mut sarif).expect("write SARIF");
        let file = out_dir.path().join(name);
        std::fs::write(&file, &sarif).expect("write file");
        files.push(file);
    }

    let output = Command::new("bash")
        .arg(&script)
        .arg("--no-multitool")
        .args(&files)
        .output()
        .expect("run validate-sarif");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(output.status.success(), "validate-sarif failed:\n{report}");
}
