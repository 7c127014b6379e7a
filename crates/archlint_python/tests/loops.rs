//! Loops and comprehensions: loop indices on statements, parents of nested
//! loops, the statements a comprehension contributes, module and class level.

mod common;
use archlint_model::{LoopKind, StmtKind};
use common::*;

#[test]
fn for_and_while_bodies_carry_the_innermost_loop() {
    let f = facts(
        r#"
def f(users):
    before()
    for u in get_users():
        db.query(u)
        while more(u):
            fetch(u)
        after_inner()
    else:
        no_break()
    after()
"#,
    );
    let f = func(&f, "f");
    assert_eq!(f.loops.len(), 2);
    assert_eq!(f.loops[0].kind, LoopKind::For);
    assert_eq!(show(f.loops[0].target.as_ref().unwrap()), "u");
    assert_eq!(show(f.loops[0].iter.as_ref().unwrap()), "get_users()");
    assert_eq!(f.loops[0].parent, None);
    assert_eq!(
        (f.loops[0].span.start.line, f.loops[0].span.end.line),
        (4, 10)
    );
    assert_eq!(f.loops[1].kind, LoopKind::While);
    assert_eq!(f.loops[1].parent, Some(0));
    assert_eq!(show(f.loops[1].iter.as_ref().unwrap()), "more(u)");
    assert_eq!(
        show_stmts(&f.body),
        [
            "before()",
            "db.query(u) @0",
            "more(u) @1",
            "fetch(u) @1",
            "after_inner() @0",
            "no_break()",
            "after()"
        ]
    );
}

#[test]
fn comprehension_element_and_conditions_belong_to_its_loop() {
    let f = facts(
        r#"
def f(orders):
    for o in orders:
        names = [load(i).name for i in o.items if check(i) for j in expand(i) if ok(j)]
    return {k: fetch(v) for k, v in pairs()}
"#,
    );
    let f = func(&f, "f");
    let kinds: Vec<_> = f.loops.iter().map(|l| (l.kind, l.parent)).collect();
    assert_eq!(
        kinds,
        [
            (LoopKind::For, None),
            (LoopKind::Comprehension, Some(0)),
            (LoopKind::Comprehension, Some(1)),
            (LoopKind::Comprehension, None),
        ]
    );
    assert_eq!(show(f.loops[1].iter.as_ref().unwrap()), "o.items");
    assert_eq!(show(f.loops[2].iter.as_ref().unwrap()), "expand(i)");
    assert_eq!(show(f.loops[3].target.as_ref().unwrap()), "(k, v)");
    assert_eq!(
        show_stmts(&f.body),
        [
            "check(i) @1",
            "ok(j) @2",
            "load(i).name @2",
            "names = Other[] @0",
            "Other[k, fetch(v)] @3",
            "return Other[]",
        ]
    );
    // Each call is found exactly once, with the loop it runs in.
    assert_eq!(
        calls(&f.body),
        [
            ("check".to_string(), Some(1)),
            ("ok".to_string(), Some(2)),
            ("load".to_string(), Some(2)),
            ("fetch".to_string(), Some(3)),
        ]
    );
}

#[test]
fn generator_argument_and_set_comprehension() {
    let f =
        facts("def f():\n    total = sum(price(x) for x in items)\n    s = {g(y) for y in ys}\n");
    let f = func(&f, "f");
    assert_eq!(
        show_stmts(&f.body),
        [
            "price(x) @0",
            "total = sum(Other[])",
            "g(y) @1",
            "s = Other[]"
        ]
    );
    assert!(
        f.loops
            .iter()
            .all(|l| l.kind == LoopKind::Comprehension && l.parent.is_none())
    );
}

#[test]
fn module_level_loops() {
    let f = facts(
        "for name in NAMES:\n    register(name)\nx = [h(a) for a in b]\nwhile poll():\n    pass\n",
    );
    assert_eq!(f.module_loops.len(), 3);
    assert_eq!(
        show_stmts(&f.module_stmts),
        ["register(name) @0", "h(a) @1", "x = Other[]", "poll() @2"]
    );
}

#[test]
fn class_level_loops_keep_their_parts_as_statements() {
    // Classes have no `loops`: iterables and elements become plain statements.
    let f = facts(
        "class C:\n    choices = [(c, c) for c in load()]\n    for x in y():\n        setup(x)\n",
    );
    assert_eq!(
        show_stmts(&class(&f, "C").body),
        ["load()", "(c, c)", "choices = Other[]", "y()", "setup(x)"]
    );
}

#[test]
fn loops_do_not_leak_into_nested_defs_or_lambdas() {
    let f = facts(
        r#"
def outer():
    for x in xs:
        def inner():
            work()
        cb = lambda: [q(y) for y in x]
"#,
    );
    assert_eq!(show_stmts(&func(&f, "inner").body), ["work()"]);
    let outer = func(&f, "outer");
    assert_eq!(outer.loops.len(), 2);
    // The lambda body is not inside `for x`; its comprehension is a loop of its own.
    assert_eq!(outer.loops[1].parent, None);
    assert_eq!(
        show_stmts(&outer.body),
        ["q(y) @1", "cb = lambda : Other[] @0"]
    );
}

#[test]
fn walrus_in_a_loop_condition() {
    let f = facts("def f():\n    while (chunk := read(1024)):\n        use(chunk)\n");
    let f = func(&f, "f");
    assert_eq!(
        show_stmts(&f.body),
        ["chunk = read(1024) @0", "chunk @0", "use(chunk) @0"]
    );
    assert_eq!(show(f.loops[0].iter.as_ref().unwrap()), "chunk");
    // The assignment inside the condition is emitted once, in the loop.
    assert!(matches!(f.body[0].kind, StmtKind::Assign { .. }));
}

#[test]
fn async_for_and_tuple_targets() {
    let f = facts("async def f():\n    async for a, (b, c) in stream():\n        await save(a)\n");
    let f = func(&f, "f");
    assert_eq!(show(f.loops[0].target.as_ref().unwrap()), "(a, (b, c))");
    assert_eq!(show_stmts(&f.body), ["await save(a) @0"]);
}
