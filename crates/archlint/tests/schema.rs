//! `archlint schema`: the merged schema of a project's migrations, as a
//! listing and as the JSON format documented in archlint_report's JSON.md.

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

const INIT: &str = "\
CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    team_id BIGINT REFERENCES teams (id),
    deleted_at TIMESTAMP
);
CREATE INDEX ix_users_lower_email ON users (lower(email));
CREATE INDEX ix_users_live ON users (team_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_users_team_email ON users USING btree (team_id, email);
";

// A later migration drops one index and adds a column: the merged schema
// shows the state after both.
const LATER: &str = "\
DROP INDEX ix_users_team_email;
ALTER TABLE users ADD COLUMN name TEXT;
";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("0001_init.sql"), INIT).unwrap();
    std::fs::write(m.join("0002_later.sql"), LATER).unwrap();
    dir
}

#[test]
fn schema_as_json() {
    let dir = project();
    let o = archlint(&["schema", ".", "--format", "json"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    insta::assert_json_snapshot!("schema_json", json);
}

#[test]
fn schema_as_listing() {
    let dir = project();
    let o = archlint(&["schema", "."], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    insta::assert_snapshot!("schema_listing", String::from_utf8_lossy(&o.stdout));
}

/// A diesel project with `schema.rs` and no migrations: its tables, columns
/// and keys, marked partially known (schema.rs says nothing of indexes).
#[test]
fn diesel_schema_rs_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/schema.rs"),
        "\
diesel::table! {
    posts (id) {
        id -> Int4,
        author_id -> Int4,
        title -> Nullable<Varchar>,
    }
}

diesel::table! {
    users (id) {
        id -> Int4,
        email -> Varchar,
    }
}

diesel::joinable!(posts -> users (author_id));
",
    )
    .unwrap();
    let o = archlint(&["schema", "."], dir.path());
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("schema_diesel_rs", String::from_utf8_lossy(&o.stdout));
    // Partially known tables are never judged for missing indexes.
    let o = archlint(&["scan", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0));
}
