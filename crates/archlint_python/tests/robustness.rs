//! Bad input: syntax errors, invalid UTF-8, empty files, absurd nesting,
//! huge lines, and mutated sources. Nothing here may panic or overflow.

mod common;
use archlint_python::PythonExtractor;
use common::*;

/// Runs `f` on a thread with the default 2 MiB stack, like a rayon worker.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn empty_and_blank_files() {
    let mut x = PythonExtractor::default();
    for src in [&b""[..], b"\n\n", b"# only a comment\n", b"   "] {
        let f = x.extract(src);
        assert!(f.functions.is_empty() && f.module_stmts.is_empty() && f.syntax_errors.is_empty());
        assert!(!f.truncated);
    }
}

#[test]
fn syntax_errors_are_recorded_and_the_rest_extracted() {
    let f = facts(
        r#"
import os

def broken(:
    pass

@app.route("/ok")
def fine():
    return db.query(User)

x = (1 +
"#,
    );
    assert!(!f.syntax_errors.is_empty());
    assert!(f.syntax_errors.len() <= 20);
    assert_eq!(f.imports.len(), 1);
    let fine = func(&f, "fine");
    assert_eq!(show(&fine.decorators[0]), r#"app.route("/ok")"#);
    assert_eq!(show_stmts(&fine.body), ["return db.query(User)"]);
    assert!(f.syntax_errors.iter().any(|s| s.start.line == 4));
}

#[test]
fn many_errors_are_capped() {
    let src = "def (:\n".repeat(500);
    let f = facts(&src);
    assert!(!f.syntax_errors.is_empty() && f.syntax_errors.len() <= 20);
}

#[test]
fn calls_inside_an_error_region_are_kept() {
    let f = facts("requests.get(url) )\n");
    assert!(!f.syntax_errors.is_empty());
    assert_eq!(calls(&f.module_stmts), [("requests.get".to_string(), None)]);
}

#[test]
fn invalid_utf8_is_read_lossily() {
    let mut src = b"def f\xff(x):\n    return '\xfe\xc3' + \"ok\"\nname\xe2\x82 = 1\n".to_vec();
    src.extend_from_slice(b"g('\xf0\x9f')\n");
    let f = PythonExtractor::new().extract(&src);
    assert!(!f.functions.is_empty());
    let ret = show_stmts(&f.functions[0].body);
    assert_eq!(ret.len(), 1, "{ret:?}");
    assert!(ret[0].contains('\u{fffd}'), "{ret:?}");
}

#[test]
fn deep_nesting_on_a_2mib_stack() {
    on_small_stack(|| {
        let mut x = PythonExtractor::new();
        for src in [
            "[".repeat(100_000),
            "(".repeat(100_000),
            format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
            format!("x = {}\n", "-".repeat(100_000) + "1"),
            format!("x = 1{}\n", " + 1".repeat(50_000)),
            format!("f{}\n", "(a)".repeat(20_000)),
            format!("x = {}y\n", "lambda: ".repeat(10_000)),
            format!("{}0\n", "await ".repeat(10_000)),
            format!("x = f'{}'\n", "{f'".repeat(100) + &"'}".repeat(100)),
            format!("v = {}\n", "a.".repeat(50_000) + "b"),
        ] {
            let f = x.extract(src.as_bytes());
            drop(f);
        }
        let f = x.extract(format!("x = {}1{}\n", "[".repeat(1_000), "]".repeat(1_000)).as_bytes());
        assert!(f.truncated);
        let f =
            x.extract(format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)).as_bytes());
        assert!(!f.truncated);
        assert_eq!(show_stmts(&f.module_stmts), ["x = 1"]);
    });
}

fn nested_ifs(depth: usize) -> String {
    let mut src = String::from("def f():\n");
    for level in 1..=depth {
        src.push_str(&" ".repeat(level));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(depth + 1));
    src.push_str("call()\n");
    src
}

#[test]
fn deeply_nested_blocks_on_a_2mib_stack() {
    on_small_stack(|| {
        let mut x = PythonExtractor::new();
        // tree-sitter-python's indentation scanner gives up somewhere below
        // 1,000 levels and the file becomes one ERROR; that must still be fine.
        let f = x.extract(nested_ifs(3_000).as_bytes());
        assert!(!f.syntax_errors.is_empty());
        let f = x.extract(nested_ifs(5_000).as_bytes());
        assert!(!f.syntax_errors.is_empty());

        let f = x.extract(nested_ifs(500).as_bytes());
        assert!(f.syntax_errors.is_empty());
        let body = &func(&f, "f").body;
        assert_eq!(body.len(), 501);
        assert_eq!(calls(body), [("call".to_string(), None)]);

        // Nested loops and defs go as deep without recursion.
        let mut src = String::new();
        for depth in 0..400 {
            src.push_str(&" ".repeat(depth));
            src.push_str(if depth % 2 == 0 {
                "for i in x:\n"
            } else {
                "def g():\n"
            });
        }
        src.push_str(&" ".repeat(400));
        src.push_str("pass\n");
        let f = x.extract(src.as_bytes());
        assert!(f.syntax_errors.is_empty());
        assert_eq!(f.functions.len(), 200);
        assert_eq!(f.module_loops.len(), 1);
        assert!(f.functions[..199].iter().all(|g| g.loops.len() == 1));
    });
}

#[test]
fn huge_single_line_is_linear() {
    // 200k elements on one line: positions must not rescan the line per node.
    let mut src = String::from("DATA = [");
    for i in 0..200_000 {
        src.push_str(&format!("'é{i}', "));
    }
    src.push_str("]\n");
    let start = std::time::Instant::now();
    let f = facts(&src);
    assert_eq!(f.module_stmts.len(), 1);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn mutated_sources_never_panic() {
    let seeds = [
        include_str!("flask.rs"),
        include_str!("fastapi.rs"),
        include_str!("django.rs"),
        include_str!("sql.rs"),
    ];
    let mut x = PythonExtractor::new();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"()[]{}:'\"\\\n \t#@=.,fr*\xff\xc3";
    for seed in seeds {
        // The Python snippets live in the raw strings of these files.
        let base: Vec<u8> = seed.as_bytes().to_vec();
        for _ in 0..40 {
            let mut src = base.clone();
            for _ in 0..(rand() % 20 + 1) {
                let at = (rand() as usize) % src.len().max(1);
                let b = alphabet[(rand() as usize) % alphabet.len()];
                match rand() % 3 {
                    0 => src.insert(at.min(src.len()), b),
                    1 if !src.is_empty() => {
                        src.remove(at.min(src.len() - 1));
                    }
                    _ => {
                        if let Some(slot) = src.get_mut(at) {
                            *slot = b;
                        }
                    }
                }
            }
            let _ = x.extract(&src);
        }
    }
}

#[test]
fn parse_only_counts_nodes() {
    let mut x = PythonExtractor::new();
    assert!(x.parse_only(b"x = 1\n") > 3);
    assert!(x.parse_only(b"") >= 1);
}
