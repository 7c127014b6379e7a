//! Expression shapes: operators, calls with star arguments, subscripts and
//! slices, containers, lambdas, conditional and starred expressions, spans.

mod common;
use archlint_model::{BinOp, ExprKind};
use common::*;

fn lowered(src: &str) -> Vec<String> {
    show_stmts(&facts(src).module_stmts)
}

#[test]
fn operators() {
    assert_eq!(
        lowered(
            "a + b % c\nx == 1 and y != 2 or not z\na < b < c\nk not in d\nv is not None\n-n\nawait job()\nq >= 3\n"
        ),
        [
            "(a Add (b Mod c))",
            "(((x Eq 1) And (y NotEq 2)) Or unary z)",
            "(a Lt Other[b, c])",
            "(k NotIn d)",
            "(v Other None)",
            "unary n",
            "await job()",
            "(q Other 3)",
        ]
    );
}

#[test]
fn comparison_chain_keeps_all_operands() {
    let f = facts("0 < i <= n\n");
    let ExprKind::Binary(BinOp::Lt, l, r) = &expr_stmt(&f.module_stmts[0]).kind else {
        panic!()
    };
    assert_eq!(show(l), "0");
    assert_eq!(show(r), "Other[i, n]");
    assert_eq!((r.span.start.col, r.span.end.col), (5, 11));
}

#[test]
fn calls_and_arguments() {
    assert_eq!(
        lowered("f(a, *rest, k=v, **opts)\nobj.m(1)(2)\ng((x))\n"),
        ["f(a, *rest, k=v, **opts)", "obj.m(1)(2)", "g(x)"]
    );
}

#[test]
fn containers_subscripts_and_slices() {
    assert_eq!(
        lowered("[1, *xs]\n(1,)\n{1, 2}\n{'a': 1, **extra}\nd[k]\nm[1:2, ::3]\nt[a, b]\n()\n"),
        [
            "[1, Other[xs]]",
            "(1)",
            "{1, 2}",
            r#"{"a": 1, Other[]: extra}"#,
            "d[k]",
            "m[Other[1, 2], Other[3]]",
            "t[a, b]",
            "()",
        ]
    );
}

#[test]
fn literals_and_others() {
    assert_eq!(
        lowered("1.5e3\nTrue\nNone\n...\nx if c else y\nlambda a, b=2, *c, **d: a + b\n"),
        [
            "1.5e3",
            "true",
            "None",
            "Other[]",
            "Other[x, c, y]",
            "lambda a, b, c, d: (a Add b)"
        ]
    );
}

#[test]
fn parentheses_are_transparent_and_spans_are_exact() {
    let f = facts("value = (  ((obj.attr))  )\n");
    let v = assigned(&f.module_stmts, "value");
    assert_eq!(show(v), "obj.attr");
    assert_eq!((v.span.start.col, v.span.end.col), (14, 22));
    let ExprKind::Attr(inner, _) = &v.kind else {
        panic!()
    };
    assert_eq!((inner.span.start.col, inner.span.end.col), (14, 17));
}

#[test]
fn utf16_columns() {
    // 'é' is one UTF-16 unit, '😀' two.
    let f = facts("s = 'é😀'; call()\n");
    let call = expr_stmt(&f.module_stmts[1]);
    assert_eq!((call.span.start.col, call.span.end.col), (12, 18));
}

#[test]
fn walrus_in_an_expression_statement() {
    assert_eq!(lowered("print(n := len(a))\n"), ["n = len(a)", "print(n)"]);
}

#[test]
fn nested_f_strings_and_conversions() {
    assert_eq!(
        lowered("f'{a!r} {b:>{width}} {f\"{c}\"}'\n"),
        [r#"f"{a} {b} {f\"{c}\"}""#]
    );
}
