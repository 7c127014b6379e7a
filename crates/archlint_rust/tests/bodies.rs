//! Bodies: statement flattening, control flow, loops, tails and returns,
//! closures, and blocks used as values.

mod common;

use archlint_model::{ExprKind, LoopKind, StmtKind};
use common::{body_lines, facts, func};

fn body_of(src: &str) -> Vec<String> {
    let f = facts(src);
    body_lines(func(&f, "f"))
}

#[test]
fn lets_assignments_and_expression_statements() {
    assert_eq!(
        body_of(
            "fn f() { let x: i32 = a(); let (a, mut b) = pair(); let Json(p) = j; x = 2; total += x; s.count -= 1; g(); let y; }"
        ),
        [
            "let x: type(i32) = a()",
            "let (a, b) = pair()",
            "let other(p) = j",
            "let x = 2",
            "total += x",
            "s.count += 1",
            "g()",
        ]
    );
}

#[test]
fn if_conditions_and_branches_are_flattened() {
    assert_eq!(
        body_of("fn f() { if ok(x) { a(); } else if let Some(u) = user { b(u); } else { c(); } }"),
        ["ok(x)", "a()", "let other(u) = user", "b(u)", "c()"]
    );
    assert_eq!(
        body_of("fn f() { if let Some(a) = x && let Ok(b) = y(a) && b > 1 { g(); } }"),
        ["let other(a) = x", "let other(b) = y(a)", "(b Gt 1)", "g()"]
    );
}

#[test]
fn match_scrutinee_guards_and_arms() {
    assert_eq!(
        body_of(
            "fn f() { match load().await { Ok(v) if v.ok() => save(v), Err(e) => { log(e); } _ => {} } done(); }"
        ),
        ["load().await", "v.ok()", "save(v)", "log(e)", "done()"]
    );
}

#[test]
fn tails_and_returns() {
    assert_eq!(body_of("fn f() -> u8 { g(); 1 }"), ["g()", "return 1"]);
    assert_eq!(body_of("fn f() { return; }"), ["return ()"]);
    assert_eq!(
        body_of("fn f() -> R { if c { return a(); } b()? }"),
        ["c", "return a()", "return b()"]
    );
    assert_eq!(
        body_of("fn f() -> R { match x { A => one(), B => { two() } } }"),
        ["x", "return one()", "return two()"]
    );
    assert_eq!(
        body_of("fn f() -> R { if c { a() } else { b() } }"),
        ["c", "return a()", "return b()"]
    );
    // A block-like statement that is not last is not a return.
    assert_eq!(
        body_of("fn f() { if c { a() } b() }"),
        ["c", "a()", "return b()"]
    );
    assert_eq!(body_of("fn f() -> R { unsafe { g() } }"), ["return g()"]);
}

#[test]
fn loops_nest_and_statements_point_at_their_loop() {
    let f = facts(
        "fn f() { for (i, x) in xs.iter().enumerate() { 'inner: loop { if done(x) { break 'inner; } step(i); } } while n < 10 { n += 1; } tail(); }",
    );
    let g = func(&f, "f");
    assert_eq!(
        body_lines(g),
        [
            "xs.iter().enumerate()",
            "@1 done(x)",
            "@1 step(i)",
            "@2 (n Lt 10)",
            "@2 n += 1",
            "tail()"
        ]
    );
    let kinds: Vec<_> = g.loops.iter().map(|l| (l.kind, l.parent)).collect();
    assert_eq!(
        kinds,
        [
            (LoopKind::For, None),
            (LoopKind::Loop, Some(0)),
            (LoopKind::While, None)
        ]
    );
    assert_eq!(
        g.loops[0].target.as_ref().map(common::show).as_deref(),
        Some("(i, x)")
    );
    assert_eq!(
        g.loops[2].iter.as_ref().map(common::show).as_deref(),
        Some("(n Lt 10)")
    );
    assert_eq!(g.loops[0].span.start.col, 10);
}

#[test]
fn break_values_and_let_else() {
    assert_eq!(
        body_of(
            "fn f() { let v = loop { break compute(); }; let Some(x) = opt else { return fail(); }; }"
        ),
        [
            "@0 compute()",
            "let v = other()",
            "let other(x) = opt",
            "return fail()"
        ]
    );
}

#[test]
fn closures_are_lambdas_with_flattened_bodies() {
    let f = facts(
        "fn f() { let h = |a, (b, c): (u8, u8)| { let d = a + b; if d > c { return d; } d * 2 }; run(move || step()); }",
    );
    let g = func(&f, "f");
    let StmtKind::Assign { value, .. } = &g.body[0].kind else {
        panic!()
    };
    let ExprKind::Lambda { params, body } = &value.kind else {
        panic!("lambda")
    };
    assert_eq!(params, &["a", "(b,c)"]);
    assert_eq!(
        common::stmts(body),
        "let d = (a Add b); (d Gt c); return d; return (d Other 2)"
    );
    assert_eq!(body_lines(g)[1], "run(|| {return step()})");
}

#[test]
fn closures_in_loops_share_the_owner_loops() {
    let f =
        facts("fn f() { for u in us { items.iter().for_each(|i| { for j in i { q(j); } }); } }");
    let g = func(&f, "f");
    assert_eq!(g.loops.len(), 2);
    assert_eq!(g.loops[1].parent, Some(0));
    assert_eq!(
        body_lines(g)[1],
        "@0 items.iter().for_each(|i| {@0 i; @1 q(j)})"
    );
}

#[test]
fn blocks_used_as_values_hoist_their_statements() {
    assert_eq!(
        body_of(
            "fn f() { let conn = { let p = pool(); p.get() }; let role = if admin { \"a\" } else { \"u\" }; }"
        ),
        [
            "let p = pool()",
            "let conn = p.get()",
            "admin",
            r#"let role = other("a", "u")"#
        ]
    );
    assert_eq!(
        body_of("fn f() { spawn(async move { let r = fetch().await; save(r).await }); }"),
        ["let r = fetch().await", "spawn(save(r).await)"]
    );
    assert_eq!(
        body_of("fn f() { let n = match k { 1 => one(), _ => { log(); two() } }; }"),
        ["k", "log()", "let n = other(one(), two())"]
    );
}

#[test]
fn statement_attributes_and_items_in_bodies() {
    let f = facts(
        "fn f() { #[allow(unused)] let x = 1; #[cfg(test)] const T: u8 = 2; #[cfg(test)] use t::*; struct S; impl S { fn m() {} } g(); }",
    );
    assert_eq!(body_lines(func(&f, "f")), ["let x = 1", "g()"]);
    assert!(f.imports.is_empty());
    assert_eq!(func(&f, "m").container, archlint_model::Container::Impl(0));
}

#[test]
fn statement_spans() {
    let f = facts("fn f() {\n    let x = a();\n    b();\n}");
    let spans: Vec<_> = func(&f, "f")
        .body
        .iter()
        .map(|s| (s.span.start.line, s.span.start.col, s.span.end.col))
        .collect();
    assert_eq!(spans, [(2, 5, 17), (3, 5, 8)]);
}

#[test]
fn destructuring_patterns_keep_their_bindings() {
    assert_eq!(
        body_of(
            "fn f() { let User { id, name: n, ref mut x, .. } = u; let [a, b @ .., _] = s; let _ = t; let &mut y = r; }"
        ),
        [
            "let other(id, n, x) = u",
            "let other(a, b) = s",
            "let other() = t",
            "let y = r"
        ]
    );
}
