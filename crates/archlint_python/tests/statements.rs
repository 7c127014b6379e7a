//! Statements: assignments, `with`, `try`, `return`/`yield`, `match`,
//! `assert`/`raise`/`del`, nested definitions and their containers.

mod common;
use archlint_model::{Container, StmtKind};
use common::*;

#[test]
fn assignment_forms() {
    let f = facts(
        r#"
a = b = compute()
x: int = 1
y: Mapped[str]
count += 1
first, *rest = items
self.user, obj["k"] = pair
(m, n) = [p, q] = t
"#,
    );
    assert_eq!(
        show_stmts(&f.module_stmts),
        [
            "a = b = compute()",
            "x: int = 1",
            "y: Mapped[str] = Other[]",
            "count op= 1",
            "(first, Other[rest]) = items",
            r#"(self.user, obj["k"]) = pair"#,
            "(m, n) = [p, q] = t",
        ]
    );
    let StmtKind::Assign {
        targets, augmented, ..
    } = &f.module_stmts[0].kind
    else {
        panic!()
    };
    assert_eq!(targets.len(), 2);
    assert!(!augmented);
}

#[test]
fn with_items() {
    let f = facts(
        r#"
async def f():
    with open(p) as fh, lock():
        fh.read()
    async with session.begin() as (tx, _):
        pass
    with (
        a() as x,
        b() as y,
    ):
        pass
"#,
    );
    assert_eq!(
        show_stmts(&func(&f, "f").body),
        [
            "fh = open(p)",
            "lock()",
            "fh.read()",
            "(tx, _) = session.begin()",
            "x = a()",
            "y = b()"
        ]
    );
}

#[test]
fn try_blocks_are_flattened() {
    let f = facts(
        r#"
def f():
    try:
        risky()
    except (ValueError, KeyError) as e:
        log(e)
    except* OSError:
        pass
    else:
        fine()
    finally:
        cleanup()
"#,
    );
    assert_eq!(
        show_stmts(&func(&f, "f").body),
        ["risky()", "log(e)", "fine()", "cleanup()"]
    );
}

#[test]
fn control_flow_expressions() {
    let f = facts(
        r#"
def f(x):
    if x > 1:
        a()
    elif x in y:
        b()
    else:
        c()
    assert check(x), "msg"
    raise Error(x) from cause
    del cache[x], other
    match command.split():
        case [action, obj] if valid(obj):
            go(action)
        case _:
            pass
    return
"#,
    );
    assert_eq!(
        show_stmts(&func(&f, "f").body),
        [
            "(x Gt 1)",
            "a()",
            "(x In y)",
            "b()",
            "c()",
            "check(x)",
            r#""msg""#,
            "Error(x)",
            "cause",
            r#"(cache[x], other)"#,
            "command.split()",
            "valid(obj)",
            "go(action)",
            "return None",
        ]
    );
}

#[test]
fn returns_and_yields() {
    let f = facts(
        r#"
def g():
    yield item
    yield from other()
    yield
    got = yield value
    return a, b
"#,
    );
    assert_eq!(
        show_stmts(&func(&f, "g").body),
        [
            "return item",
            "return other()",
            "return None",
            "got = Other[value]",
            "return (a, b)"
        ]
    );
}

#[test]
fn nested_definitions_and_containers() {
    let f = facts(
        r#"
def outer():
    x = 1
    def inner():
        class Local:
            def method(self): pass
        return Local
    return inner

class A:
    class B:
        def m(cls): pass
    if FLAG:
        def maybe(self): pass

if DEBUG:
    def debug_view(): pass
try:
    from x import y
except ImportError:
    def y(): pass
"#,
    );
    let names: Vec<_> = f
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f.container))
        .collect();
    assert_eq!(
        names,
        [
            ("outer", Container::Module),
            ("inner", Container::Function(0)),
            ("method", Container::Class(0)),
            ("m", Container::Class(2)),
            ("maybe", Container::Class(1)),
            ("debug_view", Container::Module),
            ("y", Container::Module),
        ]
    );
    let local = class(&f, "Local");
    assert_eq!((local.parent, local.in_function), (None, Some(1)));
    assert_eq!(class(&f, "B").parent, Some(1));
    // Nested definitions are not statements of their parent.
    assert_eq!(
        show_stmts(&func(&f, "outer").body),
        ["x = 1", "return inner"]
    );
    assert_eq!(show_stmts(&func(&f, "inner").body), ["return Local"]);
    assert_eq!(show_stmts(&f.module_stmts), ["DEBUG"]);
    assert_eq!(show_stmts(&class(&f, "A").body), ["FLAG"]);
}

#[test]
fn decorated_class_and_spans() {
    let src = "@dataclass(frozen=True)\nclass P:\n    x: int = 0\n";
    let f = facts(src);
    let p = class(&f, "P");
    assert_eq!(show(&p.decorators[0]), "dataclass(frozen=true)");
    assert_eq!((p.span.start.line, p.span.start.col), (1, 1));
    assert_eq!((p.span.end.line, p.span.end.col), (3, 15));
    assert_eq!(
        (
            p.name_span.start.line,
            p.name_span.start.col,
            p.name_span.end.col
        ),
        (2, 7, 8)
    );
    assert_eq!(show_stmts(&p.body), ["x: int = 0"]);
    let stmt = &p.body[0];
    assert_eq!((stmt.span.start.col, stmt.span.end.col), (5, 15));
}

#[test]
fn docstrings_are_dropped_but_f_string_statements_stay() {
    let f =
        facts("\"\"\"Module doc.\"\"\"\ndef g():\n    \"doc\"\n    f\"{log()}\"\n    return 1\n");
    assert!(f.module_stmts.is_empty(), "{:?}", f.module_stmts);
    let body = &f.functions[0].body;
    assert_eq!(body.len(), 2);
    assert!(matches!(body[1].kind, StmtKind::Return(_)));
}

#[test]
fn type_alias_statements_are_assignments() {
    let f = facts("type CurrentUser = Annotated[User, Depends(get_current_user)]\n");
    let [stmt] = f.module_stmts.as_slice() else {
        panic!("{:?}", f.module_stmts)
    };
    let StmtKind::Assign { targets, value, .. } = &stmt.kind else {
        panic!("{stmt:?}")
    };
    assert_eq!(targets[0].dotted().as_deref(), Some("CurrentUser"));
    assert!(
        matches!(value.kind, archlint_model::ExprKind::Subscript(..)),
        "{value:?}"
    );
}
