//! Expressions: literals, paths, operators, struct literals, collections,
//! and macro arguments read from token trees.

mod common;

use archlint_model::{BinOp, ExprKind, StmtKind};
use common::{facts, func, show};

/// The lowered value of `let x = <expr>;`.
fn value(expr: &str) -> archlint_model::Expr {
    let f = facts(&format!("fn f() {{ let x = {expr}; }}"));
    let body = &func(&f, "f").body;
    match body.last().map(|s| &s.kind) {
        Some(StmtKind::Assign { value, .. }) => value.clone(),
        other => panic!("no let in {other:?}"),
    }
}

fn v(expr: &str) -> String {
    show(&value(expr))
}

#[test]
fn string_literals() {
    assert_eq!(
        value(r#""a\n\"b\" \x41\u{e9}""#).as_str(),
        Some("a\n\"b\" Aé")
    );
    assert_eq!(value("\"one \\\n     two\"").as_str(), Some("one two"));
    assert_eq!(
        value(r###"r#"raw "q" \n"#"###).as_str(),
        Some(r#"raw "q" \n"#)
    );
    assert_eq!(value(r#"b"bytes\t""#).as_str(), Some("bytes\t"));
    assert_eq!(value(r#"br"raw bytes""#).as_str(), Some("raw bytes"));
    assert_eq!(value("'x'").as_str(), Some("x"));
    assert_eq!(value(r"'\n'").as_str(), Some("\n"));
    assert_eq!(value(r#""""#).as_str(), Some(""));
}

#[test]
fn other_literals() {
    assert_eq!(value("42u64").kind, ExprKind::Number("42u64".into()));
    assert_eq!(value("1.5e3").kind, ExprKind::Number("1.5e3".into()));
    assert_eq!(value("true").kind, ExprKind::Bool(true));
    assert_eq!(value("false").kind, ExprKind::Bool(false));
}

#[test]
fn names_paths_and_fields() {
    assert_eq!(value("self").kind, ExprKind::Name("self".into()));
    assert_eq!(
        value("web::get").kind,
        ExprKind::Path(vec!["web".into(), "get".into()])
    );
    assert_eq!(v("Router::<AppState>::new()"), "Router::new()");
    assert_eq!(v("Vec::<u8>::with_capacity(4)"), "Vec::with_capacity(4)");
    assert_eq!(v("<T as Default>::default()"), "<T as Default>::default()");
    assert_eq!(v("x.collect::<Vec<_>>()"), "x.collect()");
    assert_eq!(v("parse::<i64>(s)"), "parse(s)");
    assert_eq!(v("req.state.db"), "req.state.db");
    assert_eq!(v("pair.0"), "pair.0");
    assert_eq!(v("f(x)(y)"), "f(x)(y)");
}

#[test]
fn operators() {
    assert_eq!(v("a + b % c"), "(a Add (b Mod c))");
    assert_eq!(
        v("a == b && c != d || e < f"),
        "(((a Eq b) And (c NotEq d)) Or (e Lt f))"
    );
    assert_eq!(v("a > b"), "(a Gt b)");
    assert!(matches!(
        value("a - b").kind,
        ExprKind::Binary(BinOp::Other, ..)
    ));
    assert_eq!(v("!ok"), "unary(ok)");
    assert_eq!(v("-n"), "unary(n)");
    assert_eq!(v("*guard"), "unary(guard)");
    assert_eq!(v("&mut conn"), "conn");
    assert_eq!(v("&&x"), "x");
    assert_eq!(v("n as i64"), "n");
    assert_eq!(v("((((y))))"), "y");
    assert_eq!(v("load()?.value?"), "load().value");
    assert_eq!(v("items[i + 1]"), "items[(i Add 1)]");
    assert_eq!(v("a..b"), "other(a, b)");
    assert_eq!(v("..5"), "other(5)");
}

#[test]
fn struct_literals_and_collections() {
    assert_eq!(
        v("NewUser { name: n.clone(), email, ..Default::default() }"),
        "NewUser(name = n.clone(), email = email, .. = Default::default())"
    );
    assert_eq!(v("models::User { id: 1 }"), "models::User(id = 1)");
    assert_eq!(v("[1, 2]"), "[1, 2]");
    assert_eq!(v("[0u8; 4]"), "[0u8, 4]");
    assert_eq!(v("vec![a, b]"), "[a, b]");
    assert_eq!(v("(a, \"b\")"), "(a, \"b\")");
    assert_eq!(v("()"), "()");
}

#[test]
fn macro_arguments() {
    assert_eq!(
        v(r#"format!("select {} from {t}", cols, t = table)"#),
        r#"format!("select {} from {t}", cols, t = table)"#
    );
    assert_eq!(
        v(r#"json!({"ok": true, "user": u.name, "tags": [1, 2]})"#),
        r#"json!({"ok": true, "user": u.name, "tags": [1, 2]})"#
    );
    assert_eq!(
        v("routes![a, b::c, crate::d::e]"),
        "routes!(a, b::c, crate::d::e)"
    );
    assert_eq!(
        v("m!(x.await, y?, &mut z, -1, !w)"),
        "m!(x.await, y, z, unary(1), unary(w))"
    );
    assert_eq!(
        v("m!(self.db.get().await, f(1, g(2)), Vec::<u8>::new())"),
        "m!(self.db.get().await, f(1, g(2)), Vec::new())"
    );
    assert_eq!(
        v("m!(a[0], (b, c), (d), x as i64 + 1)"),
        "m!(a[0], (b, c), d, (x Add 1))"
    );
    assert_eq!(
        v("m!(User { id: 1, name }, outer!(inner!(\"s\")))"),
        "m!(User(id = 1, name = name), outer!(inner!(\"s\")))"
    );
    assert_eq!(v("m!(|x| x + 1, 2)"), "m!(other(), 2)");
    assert_eq!(v("std::vec![1]"), "[1]");
    assert_eq!(v("m!()"), "m!()");
    assert_eq!(v("m! { a => b }"), "m!(other(a))");
}

#[test]
fn tracing_style_macro_args() {
    let f = facts(
        "fn f() { tracing::info!(user = %id, ?req, user.name = %u.name, \"handled {}\", path); }",
    );
    let got: Vec<String> = func(&f, "f").body.iter().map(common::stmt).collect();
    assert_eq!(
        got,
        [r#"tracing::info!(user = id, req, user.name = u.name, "handled {}", path)"#]
    );
}

#[test]
fn attribute_arguments_use_the_same_reader() {
    let f = facts(
        "#[tracing::instrument(skip(db, state), fields(user = %claims.sub), err)]\n#[path = \"x.rs\"]\n#[doc = \"no\"]\n#[cfg_attr(feature = \"a\", derive(Debug))]\nfn f() {}",
    );
    assert_eq!(
        common::decorators(func(&f, "f")),
        [
            "tracing::instrument(skip(db, state), fields(user = claims.sub), err)",
            "path(\"x.rs\")",
            "cfg_attr(feature = \"a\", derive(Debug))",
        ]
    );
}

#[test]
fn every_expression_has_a_span() {
    let e = value("a.b(c)");
    assert_eq!((e.span.start.col, e.span.end.col), (18, 24));
    let (callee, args) = e.as_call().expect("call");
    assert_eq!((callee.span.start.col, callee.span.end.col), (18, 21));
    assert_eq!(
        (args[0].value.span.start.col, args[0].value.span.end.col),
        (22, 23)
    );
}
