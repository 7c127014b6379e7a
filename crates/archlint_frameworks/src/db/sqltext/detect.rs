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
/// a hand-written `migrations.py` module of migration steps.
pub fn is_migration_module(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    matches!(file, "migrations.py" | "migration.py") || is_migration_path(path)
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
