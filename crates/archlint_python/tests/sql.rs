//! SQL built in strings: f-strings, `%` formatting, `.format`, concatenation,
//! and the string literal forms that carry it.

mod common;
use archlint_model::{BinOp, ExprKind, StrPart};
use common::*;

const SRC: &str = r#"
def queries(cursor, user_id, name):
    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    cursor.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    cursor.execute("SELECT * FROM users "
                   f"WHERE id = {user_id!r:>10} AND x = '{{literal}}'")
    cursor.execute("""
        SELECT id
        FROM orders\tWHERE 1 = 1
    """)
    sql = "SELECT 1"
    sql += " WHERE a = " + name
    cursor.execute(sql)
"#;

fn execute_args(i: usize) -> archlint_model::Expr {
    let f = facts(SRC);
    let stmt = &func(&f, "queries").body[i];
    let (callee, args) = call(expr_stmt(stmt));
    assert_eq!(callee, "cursor.execute");
    args[0].value.clone()
}

#[test]
fn f_string_interpolation() {
    let e = execute_args(0);
    let ExprKind::FStr(parts) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(parts.len(), 2);
    assert_eq!(
        parts[0],
        StrPart::Lit("SELECT * FROM users WHERE id = ".into())
    );
    let StrPart::Expr(x) = &parts[1] else {
        panic!()
    };
    assert_eq!(show(x), "user_id");
}

#[test]
fn percent_format_and_concatenation() {
    let e = execute_args(1);
    assert_eq!(
        show(&e),
        r#"("SELECT * FROM users WHERE name = '%s'" Mod name)"#
    );
    let ExprKind::Binary(BinOp::Mod, _, _) = e.kind else {
        panic!()
    };

    let e = execute_args(2);
    assert_eq!(
        show(&e),
        r#""SELECT * FROM users WHERE name = '{}'".format(name)"#
    );

    let e = execute_args(3);
    assert_eq!(
        show(&e),
        r#"(("SELECT * FROM users WHERE name = '" Add name) Add "'")"#
    );

    let f = facts(SRC);
    let (_, args) = call(expr_stmt(&func(&f, "queries").body[4]));
    assert_eq!(show(&args[1].value), "(user_id)");
}

#[test]
fn implicit_concatenation_with_an_f_string_is_one_fstr() {
    let e = execute_args(5);
    assert_eq!(
        show(&e),
        r#"f"SELECT * FROM users WHERE id = {user_id} AND x = '{literal}'""#
    );
}

#[test]
fn triple_quoted_escapes_resolved() {
    let e = execute_args(6);
    assert_eq!(
        str_of(&e),
        "\n        SELECT id\n        FROM orders\tWHERE 1 = 1\n    "
    );
}

#[test]
fn sql_built_in_a_variable() {
    let f = facts(SRC);
    let body = show_stmts(&func(&f, "queries").body);
    assert_eq!(
        body[7..],
        [
            r#"sql = "SELECT 1""#,
            r#"sql op= (" WHERE a = " Add name)"#,
            "cursor.execute(sql)"
        ]
    );
}

#[test]
fn string_prefixes() {
    let f = facts(
        r#"a = b"\x41\xff\n"
b = rb'\d+'
c = u"caf\u00e9 \N{BULLET}"
d = f"{x}" "lit"
e = "a" 'b' """c"""
g = f"no placeholders"
h = Rf"{path}\n"
i = "unterminated
"#,
    );
    let got: Vec<_> = f.module_stmts.iter().map(show_stmt).collect();
    assert_eq!(
        got[..7],
        [
            "a = \"A\u{ff}\\n\"",
            r#"b = "\\d+""#,
            r#"c = "café \\N{BULLET}""#,
            r#"d = f"{x}lit""#,
            r#"e = "abc""#,
            r#"g = f"no placeholders""#,
            r#"h = f"{path}\\n""#,
        ]
    );
}
