//! Prints the facts extracted from a Rust file in the compact form the tests
//! use. Usage: `cargo run -p archlint_rust --example facts -- FILE`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{show, stmt};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: facts FILE");
        std::process::exit(2);
    };
    let src = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let f = archlint_rust::RustExtractor::new().extract(&src);
    for i in &f.imports {
        println!("use {} {:?} as {}", i.module, i.name, i.alias);
    }
    for s in &f.module_stmts {
        println!("module: {}", stmt(s));
    }
    for i in &f.impls {
        println!(
            "impl {:?} for {} in {:?}",
            i.trait_name, i.self_ty, i.module_path
        );
    }
    for (i, func) in f.functions.iter().enumerate() {
        let (s, e) = (func.span.start, func.span.end);
        println!(
            "fn#{i} {} {:?} {:?} async={} {}:{}-{}:{}",
            func.name,
            func.container,
            func.module_path,
            func.is_async,
            s.line,
            s.col,
            e.line,
            e.col
        );
        for d in &func.decorators {
            println!("  #[{}]", show(d));
        }
        for p in &func.params {
            println!(
                "  param {} {:?} {:?}",
                p.name,
                p.kind,
                p.annotation.as_ref().map(show)
            );
        }
        if let Some(r) = &func.returns {
            println!("  -> {}", show(r));
        }
        for s in &func.body {
            println!("  {}", stmt(s));
        }
        for l in &func.loops {
            let (t, it) = (l.target.as_ref().map(show), l.iter.as_ref().map(show));
            println!(
                "  loop {:?} target={t:?} iter={it:?} parent={:?}",
                l.kind, l.parent
            );
        }
    }
    println!(
        "syntax errors: {}, truncated: {}",
        f.syntax_errors.len(),
        f.truncated
    );
}
