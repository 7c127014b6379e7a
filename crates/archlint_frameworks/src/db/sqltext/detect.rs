//! Whether a string is SQL: its first word, after whitespace, comments and
//! opening parentheses, is a SQL statement keyword (`SELECT`, `WITH`,
//! `INSERT`...). Cheap, so it runs before anything is parsed, and strict, so
//! `executor.execute("job")` or a log message never becomes a query.

use super::knowledge::raw;

/// `text` after leading whitespace, `--` and `/* */` comments and `(`.
pub fn statement_start(text: &str) -> &str {
    let mut rest = text;
    // Bounded: each round consumes at least one byte or stops.
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(after) = trimmed.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return trimmed;
        }
    }
}

/// The first word of `text` after whitespace, `--` and `/* */` comments and
/// `(`, or `None` when the text starts with anything else.
pub fn first_word(text: &str) -> Option<&str> {
    let rest = statement_start(text);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let word = rest.get(..end)?;
    (!word.is_empty() && word.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(word)
}

/// Whether `text` starts with a SQL statement keyword (case-insensitive).
pub fn looks_like_sql(text: &str) -> bool {
    first_word(text).is_some_and(is_sql_keyword)
}

/// Whether `word` is a SQL statement keyword from `raw.toml` (case-insensitive).
pub fn is_sql_keyword(word: &str) -> bool {
    raw()
        .sql
        .keywords
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

/// Whether a source file is a schema migration (`migrations/`, `_migrations/`,
/// `migration/`, `alembic/` in its path): its SQL runs once, by an operator, and is schema
/// work rather than a query of the running service.
pub fn is_migration_path(path: &str) -> bool {
    path.split('/').rev().skip(1).any(|dir| {
        matches!(
            dir.trim_start_matches('_'),
            "migrations" | "migration" | "alembic"
        )
    })
}

/// Whether a source file runs once, by an operator, to change the schema or
/// the data: a file under a migrations directory ([`is_migration_path`]), or
/// a hand-written module of migration steps (`migrations.py`,
/// `data_migrations.py`, lemmy's `code_migrations.rs`).
pub fn is_migration_module(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file
        .strip_suffix(".py")
        .or_else(|| file.strip_suffix(".rs"))
        .unwrap_or(file);
    matches!(stem, "migrations" | "migration")
        || stem.ends_with("_migrations")
        || is_migration_path(path)
}

/// Whether a source file holds code an operator runs by hand, not a request:
/// migrations ([`is_migration_module`]), Django management commands
/// (`management/commands/`) and command-line interfaces (a `cli.py` module,
/// a `cli/` package, `manage.py`). Its cost is no user's slow page.
pub fn is_operator_module(path: &str) -> bool {
    let mut segs = path.split('/').rev();
    let file = segs.next().unwrap_or(path);
    let dirs: Vec<&str> = segs.collect();
    let command = dirs.windows(2).any(|w| w == ["commands", "management"]);
    command
        || matches!(file, "cli.py" | "manage.py")
        || dirs.contains(&"cli")
        || is_migration_module(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_keywords_after_comments_and_parentheses() {
        assert!(looks_like_sql("SELECT 1"));
        assert!(looks_like_sql("\n   select * from t"));
        assert!(looks_like_sql("-- fetch users\nSELECT * FROM users"));
        assert!(looks_like_sql("/* a */ (SELECT 1) UNION (SELECT 2)"));
        assert!(looks_like_sql("with x as (select 1) select * from x"));
        assert!(looks_like_sql("PRAGMA foreign_keys = ON"));
        assert!(!looks_like_sql("selection of items"));
        assert!(!looks_like_sql("ls -la"));
        assert!(!looks_like_sql(""));
        assert!(!looks_like_sql("-- only a comment"));
        assert_eq!(first_word("  (( update t"), Some("update"));
        assert!(is_migration_path("app/migrations/0001_initial.py"));
        assert!(is_migration_module("crates/db/src/code_migrations.rs"));
        assert!(is_migration_module("wallet/migrations.py"));
        assert!(!is_migration_module("app/migrations_view.py"));
        assert!(is_operator_module("shop/management/commands/report.py"));
        assert!(is_operator_module("lemur/certificates/cli.py"));
        assert!(is_operator_module("privacyidea/cli/pitokenjanitor/find.py"));
        assert!(is_operator_module("manage.py"));
        assert!(!is_operator_module("shop/clinic/views.py"));
        assert!(!is_operator_module("superset/commands/chart/create.py"));
        assert!(!is_operator_module("shop/cli_views.py"));
        assert!(is_migration_path("ckan/migration/versions/021_x.py"));
        assert!(is_migration_path(
            "src/repo/postgres/migrations/V0008__create.rs"
        ));
        assert!(is_migration_path(
            "prefect/server/database/_migrations/versions/a.py"
        ));
        assert!(!is_migration_path("migrations.py"));
        assert!(is_migration_module("lnbits/core/migrations.py"));
        assert!(is_migration_module("app/migrations/0001_initial.py"));
        assert!(!is_migration_module("app/migrations_helper.py"));
        assert!(!is_migration_path("app/views.py"));
    }
}
