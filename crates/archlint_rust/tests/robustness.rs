//! Hostile inputs: absurd nesting, invalid UTF-8, syntax errors, empty files.
//! Each deep case runs on a thread with the default 2 MiB stack, as rayon's
//! workers do, and must neither crash nor recurse without bound.

mod common;

use archlint_rust::RustExtractor;
use common::{body_lines, facts, func, names};

/// Extracts on a fresh thread with a 2 MiB stack, and drops the facts there too.
fn extract_small_stack(src: String) -> (usize, usize, bool, usize) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let f = RustExtractor::new().extract(src.as_bytes());
            let stmts: usize = f.functions.iter().map(|f| f.body.len()).sum();
            (f.functions.len(), stmts, f.truncated, f.syntax_errors.len())
        })
        .expect("spawn")
        .join()
        .expect("extraction thread panicked or overflowed")
}

fn repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}

#[test]
fn hundred_thousand_open_parens() {
    let (_, _, _, errors) = extract_small_stack(repeat("(", 100_000));
    assert!(errors > 0);
}

#[test]
fn hundred_thousand_open_brackets() {
    let (_, _, _, errors) = extract_small_stack(repeat("[", 100_000));
    assert!(errors > 0);
}

#[test]
fn hundred_thousand_parens_inside_a_fn() {
    let src = format!(
        "fn f() {{ let x = {}1{}; g(x); }}",
        repeat("(", 100_000),
        repeat(")", 100_000)
    );
    let (fns, stmts, _, _) = extract_small_stack(src);
    assert_eq!(fns, 1);
    assert!(stmts >= 1);
}

#[test]
fn hundred_thousand_unbalanced_parens_inside_a_fn() {
    let src = format!(
        "fn f() {{ let x = {}1; }}\nfn g() {{}}",
        repeat("(", 100_000)
    );
    let (_, _, _, errors) = extract_small_stack(src);
    assert!(errors > 0);
}

#[test]
fn hundred_thousand_brackets_inside_a_fn() {
    let src = format!(
        "fn f() {{ let x = {}1{}; }}",
        repeat("[", 100_000),
        repeat("]", 100_000)
    );
    let (fns, _, truncated, _) = extract_small_stack(src);
    assert_eq!(fns, 1);
    assert!(truncated);
}

#[test]
fn hundred_thousand_brackets_in_a_macro() {
    let src = format!(
        "fn f() {{ vec!{}1{}; }}",
        repeat("[", 100_000),
        repeat("]", 100_000)
    );
    let (fns, _, truncated, _) = extract_small_stack(src);
    assert_eq!(fns, 1);
    assert!(truncated);
}

#[test]
fn three_thousand_nested_blocks_keep_every_statement() {
    let src = format!(
        "fn f() {{ {} q(); {} }}",
        repeat("{ a(); ", 3_000),
        repeat("}", 3_000)
    );
    let (fns, stmts, truncated, errors) = extract_small_stack(src);
    assert_eq!((fns, errors), (1, 0));
    // Statement blocks are walked with an explicit stack: nothing is lost.
    assert_eq!(stmts, 3_001);
    assert!(!truncated);
}

#[test]
fn three_thousand_nested_ifs_and_loops() {
    let src = format!(
        "fn f() {{ {} q(); {} }}",
        repeat("if c() { for x in y { ", 3_000),
        repeat("} }", 3_000)
    );
    let (fns, _, truncated, errors) = extract_small_stack(src);
    assert_eq!((fns, errors), (1, 0));
    assert!(!truncated);
}

#[test]
fn thousands_of_nested_closures_are_truncated() {
    let src = format!("fn f() {{ let g = {}q(); }}", repeat("|x| ", 5_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!(
        "fn f() {{ run({} q() {}); }}",
        repeat("move || { ", 3_000),
        repeat("}", 3_000)
    );
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
}

#[test]
fn thousands_of_nested_block_values_are_truncated() {
    let src = format!(
        "fn f() {{ let v = {} 1 {}; }}",
        repeat("{ let a = ", 3_000),
        repeat("; a }", 3_000)
    );
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
}

#[test]
fn thousands_of_nested_fns_and_mods() {
    let src = format!("{} {}", repeat("fn f() { ", 3_000), repeat("}", 3_000));
    let (fns, _, truncated, _) = extract_small_stack(src);
    assert!(fns > 10 && truncated);
    let src = format!(
        "{} fn f() {{}} {}",
        repeat("mod m { ", 3_000),
        repeat("}", 3_000)
    );
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
}

#[test]
fn long_chains_and_operator_runs() {
    let src = format!(
        "fn f() {{ let r = Router::new(){}; }}",
        repeat(".route(\"/a\", get(h))", 10_000)
    );
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!("fn f() {{ let x = 1{}; }}", repeat(" + 1", 100_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!("fn f() {{ m!(1{}); }}", repeat(" + 1", 100_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!("fn f() {{ m!({}x); }}", repeat("!", 100_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!("fn f() {{ let x = {}y; }}", repeat("!", 100_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
}

#[test]
fn deep_types_patterns_and_use_trees() {
    let src = format!(
        "fn f(x: {}u8{}) {{ let {}a{} = x; }}",
        repeat("Vec<", 50_000),
        repeat(">", 50_000),
        repeat("(", 50_000),
        repeat(")", 50_000)
    );
    extract_small_stack(src);
    let src = format!("use {}a{};", repeat("a::{", 50_000), repeat("}", 50_000));
    let (_, _, truncated, _) = extract_small_stack(src);
    assert!(truncated);
    let src = format!(
        "#[get({}1{})] fn f() {{}}",
        repeat("(", 50_000),
        repeat(")", 50_000)
    );
    extract_small_stack(src);
}

#[test]
fn empty_and_blank_files() {
    for src in [
        "",
        "\n",
        "   \t\r\n",
        "// only a comment",
        "/* unterminated",
    ] {
        let f = facts(src);
        assert!(f.functions.is_empty() && f.imports.is_empty(), "{src:?}");
    }
}

#[test]
fn invalid_utf8_is_read_lossily_with_right_columns() {
    let src = b"fn f() { let s = \"\xff\xfe\"; g(\"\xc3\x28\", x); }\nfn \xe2\x82 h() {}\n";
    let f = RustExtractor::new().extract(src);
    let body = body_lines(func(&f, "f"));
    assert_eq!(
        body,
        ["let s = \"\u{FFFD}\u{FFFD}\"", "g(\"\u{FFFD}(\", x)"]
    );
    // `x` is after 2 invalid bytes counted as one column each, like LineMap does.
    let archlint_model::StmtKind::Expr(call) = &func(&f, "f").body[1].kind else {
        panic!()
    };
    let (_, args) = call.as_call().expect("call");
    assert_eq!(args[1].value.span.start.col, 32);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A fixed xorshift stream: reproducible garbage, mixed with Rust tokens.
    let tokens: [&[u8]; 16] = [
        b"fn ",
        b"{",
        b"}",
        b"(",
        b")",
        b"\"",
        b"r#\"",
        b"'",
        b"#[get(",
        b"]",
        b"::",
        b"!",
        b"|x|",
        b"\xff",
        b"\n",
        b"use a::{",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut ex = RustExtractor::new();
    for _ in 0..200 {
        let mut src = Vec::new();
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if state.is_multiple_of(3) {
                src.push((state >> 8) as u8);
            } else {
                src.extend_from_slice(tokens[(state >> 20) as usize % tokens.len()]);
            }
        }
        let _ = ex.extract(&src);
    }
}

#[test]
fn syntax_errors_are_recorded_and_bounded() {
    let f = facts("use a::b\nfn ok() { good(); }\n");
    assert_eq!(f.syntax_errors.len(), 1, "the missing `;`");
    assert_eq!(names(&f), ["ok"]);
    let many = "fn f() { let = ; }\n".repeat(100);
    assert_eq!(facts(&many).syntax_errors.len(), 20);
    assert!(facts("fn ok() {}").syntax_errors.is_empty());
}

#[test]
fn code_around_a_syntax_error_still_yields_facts() {
    let f = facts(
        "#[get(\"/a\")]\nfn before() { a(); }\n#[post(\"/b\")]\nfn broken( { let x = q(1); x.save(\n",
    );
    assert!(!f.syntax_errors.is_empty());
    assert_eq!(names(&f), ["before", "broken"]);
    let broken = func(&f, "broken");
    assert_eq!(common::decorators(broken), ["post(\"/b\")"]);
    assert_eq!(body_lines(broken)[0], "let x = q(1)");
}

#[test]
fn crlf_and_bom() {
    let f = facts("\u{feff}fn a() {}\r\nfn b() {\r\n    c();\r\n}\r\n");
    assert_eq!(names(&f), ["a", "b"]);
    let s = &func(&f, "b").body[0].span;
    assert_eq!((s.start.line, s.start.col), (3, 5));
}

#[test]
fn one_extractor_is_reusable_and_deterministic() {
    let mut ex = RustExtractor::new();
    let src = b"use a::b;\n#[get(\"/\")] async fn h(x: X) { for i in y { q(i).await; } }";
    let first = ex.extract(src);
    let _ = ex.extract(b"fn other( {");
    assert_eq!(ex.extract(src), first);
    assert!(ex.parse_only(src) > 10);
    assert_eq!(ex.parse_only(b""), 1);
}

#[test]
fn one_huge_non_ascii_line_is_linear() {
    // Minified or generated code: a whole file on one line. Converting each
    // span by rescanning the line would be quadratic (minutes here).
    let src = format!(
        "fn f() {{ let s = \"é😀\"; {} }}",
        "g(\"ü\", x.y()); ".repeat(50_000)
    );
    let start = std::time::Instant::now();
    let f = facts(&src);
    assert_eq!(func(&f, "f").body.len(), 50_001);
    let last = &func(&f, "f").body[50_000].span;
    // 24 UTF-16 units before the first call, 15 per call (the `ü` is one unit).
    assert_eq!((last.start.line, last.start.col), (1, 24 + 15 * 49_999 + 1));
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

#[test]
fn extractor_can_move_to_a_worker_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<RustExtractor>();
    let handle = std::thread::spawn(|| {
        let mut ex = RustExtractor::default();
        ex.extract(b"fn f() {}").functions.len()
    });
    assert_eq!(handle.join().ok(), Some(1));
}

#[test]
fn deepest_facts_can_be_cloned_compared_and_dropped_on_a_small_stack() {
    // Long chains whose arguments are long chains, nested: the deepest
    // output the bounds allow. Derived Clone/PartialEq/Drop recurse on it.
    let mut arg = String::from("x");
    for _ in 0..40 {
        arg = format!("a{}.m({arg})", ".m(x)".repeat(299));
    }
    let src = format!("fn f() {{ let r = {arg}; }}");
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let f = RustExtractor::new().extract(src.as_bytes());
            assert!(f.truncated);
            let copy = f.clone();
            assert!(copy == f);
        })
        .expect("spawn")
        .join()
        .expect("clone/compare/drop overflowed");
}
