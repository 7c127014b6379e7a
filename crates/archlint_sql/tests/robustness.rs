//! No input makes the SQL layer panic or exhaust the stack. Every case runs
//! on a thread with a 2 MiB stack, the size of a default worker thread.

use archlint_sql::{Dialect, ProblemKind, parse_dynamic, parse_query, parse_schema};

const DIALECTS: [Dialect; 4] = [
    Dialect::Postgres,
    Dialect::Mysql,
    Dialect::Sqlite,
    Dialect::Generic,
];

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic, no overflow")
}

/// Runs every entry point over `text` in every dialect.
fn survive(text: String) {
    on_small_stack(move || {
        for d in DIALECTS {
            let _ = parse_query(&text, d);
            let _ = parse_schema(&text, "x.sql", d);
            let half = text.len() / 2;
            let cut = (0..=half)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            let _ = parse_dynamic(&[&text[..cut], &text[cut..]], d);
        }
    });
}

/// A small deterministic generator (xorshift), so failures reproduce.
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect()
}

#[test]
fn random_bytes() {
    for seed in 1..40u64 {
        survive(String::from_utf8_lossy(&bytes(seed, 2000)).into_owned());
    }
}

#[test]
fn random_sql_tokens() {
    const TOKENS: &[&str] = &[
        "SELECT",
        "FROM",
        "WHERE",
        "(",
        ")",
        "'",
        "\"",
        "`",
        "$$",
        "$a$",
        "--",
        "/*",
        "*/",
        ";",
        ",",
        "=",
        "?",
        "%s",
        ":x",
        "@y",
        "$1",
        "JOIN",
        "ON",
        "CREATE",
        "TABLE",
        "INDEX",
        "ALTER",
        "ADD",
        "DROP",
        "COPY",
        "stdin",
        "\\.",
        "\n",
        "BEGIN",
        "END",
        "DELIMITER",
        "CASE",
        "t",
        "a.b",
        "1",
        "E'",
        "\\",
        "IN",
        "NOT",
        "OR",
        "AND",
        "LIMIT",
        "WITH",
        "AS",
        "UNION",
        "::",
        "[",
        "]",
    ];
    for seed in 1..60u64 {
        let text: Vec<&str> = bytes(seed, 400)
            .iter()
            .map(|b| TOKENS[*b as usize % TOKENS.len()])
            .collect();
        survive(text.join(" "));
    }
}

#[test]
fn a_megabyte_of_open_parentheses() {
    let text = "(".repeat(1 << 20);
    survive(text.clone());
    let err = on_small_stack(move || parse_query(&text, Dialect::Postgres)).unwrap_err();
    assert_eq!(err.kind, ProblemKind::TooComplex);
}

#[test]
fn unterminated_quotes_comments_and_dollar_quotes() {
    for text in [
        "SELECT 'abc",
        "SELECT \"abc",
        "SELECT `abc",
        "SELECT $$abc",
        "SELECT /* abc",
        "CREATE TABLE t (a text DEFAULT 'x);\nCREATE INDEX i ON t (a);",
        "COPY t FROM stdin;\n1\t2\n",
        "DELIMITER",
        "DELIMITER //\nCREATE TABLE t (a int)//\nCREATE TRIGGER x BEGIN",
        "E'\\",
    ] {
        survive(text.to_string());
    }
    assert!(parse_query("SELECT * FROM t WHERE a = 'abc", Dialect::Postgres).is_err());
}

#[test]
fn ten_thousand_nested_subqueries() {
    let depth = 10_000;
    let sql = format!(
        "SELECT * FROM t WHERE a IN {}1{}",
        "(SELECT a FROM t WHERE a IN ".repeat(depth),
        ")".repeat(depth)
    );
    survive(sql.clone());
    let err = on_small_stack(move || parse_query(&sql, Dialect::Postgres)).unwrap_err();
    assert_eq!(err.kind, ProblemKind::TooComplex);
}

#[test]
fn long_operator_chains_are_refused_before_parsing() {
    // sqlparser parses these in a loop into a tree as deep as the chain;
    // dropping such a tree would overflow the stack.
    for chain in ["1+", "a IS NULL IS NULL AND ", "x::int", "a || "] {
        let sql = format!("SELECT * FROM t WHERE {}1", chain.repeat(50_000));
        survive(sql.clone());
        let err = on_small_stack(move || parse_query(&sql, Dialect::Postgres)).unwrap_err();
        assert_eq!(err.kind, ProblemKind::TooComplex, "{chain}");
    }
}

#[test]
fn moderately_deep_real_queries_still_parse() {
    // Nested subqueries and functions well within what people write.
    let mut sql = String::from("SELECT id FROM t0 WHERE x = 1");
    for i in 1..12 {
        sql = format!(
            "SELECT id FROM t{i} WHERE id IN ({sql}) AND coalesce(lower(trim(name)), '') <> ''"
        );
    }
    let shape = on_small_stack(move || parse_query(&sql, Dialect::Postgres)).expect("parses");
    assert_eq!(shape.all_shapes().len(), 12);
    // Subqueries nested as deep as sqlparser allows stay within the stack.
    for depth in [20, 30, 45, 60] {
        let sql = format!(
            "SELECT * FROM t WHERE a IN {}1{}",
            "(SELECT a FROM t WHERE a IN ".repeat(depth),
            ")".repeat(depth)
        );
        let _ = on_small_stack(move || parse_query(&sql, Dialect::Postgres));
    }
    // A long IN list and a long AND chain are fine.
    let ids = vec!["1"; 20_000].join(",");
    let conds = vec!["a = 1"; 500].join(" AND ");
    let sql = format!("SELECT * FROM t WHERE id IN ({ids}) AND {conds}");
    let shape = on_small_stack(move || parse_query(&sql, Dialect::Postgres)).expect("parses");
    assert_eq!(shape.filters.len(), 501);
}

#[test]
fn unicode_everywhere() {
    survive("SELECT \"ñame\", 'é😀' FROM \"таблица\" WHERE \"名前\" = $1 -- ☃".to_string());
    let (ops, problems) = parse_schema(
        "CREATE TABLE \"таблица\" (\"名前\" text PRIMARY KEY, é int);",
        "ü.sql",
        Dialect::Postgres,
    );
    assert!(problems.is_empty());
    assert_eq!(ops.len(), 1);
    let at = ops[0].at();
    assert_eq!(at.span.start.line, 1);
}
