//! Prints the tree-sitter syntax tree of a Rust file, one node per line with
//! its field name: what the lowering code matches on.
//! Usage: `cargo run -p archlint_rust --example dump -- FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let src = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_rust::LANGUAGE.into())
        .expect("grammar");
    let Some(tree) = parser.parse(&src, None) else {
        return;
    };
    let mut c = tree.walk();
    let mut depth = 0;
    loop {
        let n = c.node();
        let field = c.field_name().map(|f| format!("{f}: ")).unwrap_or_default();
        let kind = if n.is_named() {
            n.kind().to_string()
        } else {
            format!("'{}'", n.kind())
        };
        let leaf = if n.child_count() == 0 {
            format!(" {:?}", n.utf8_text(&src).unwrap_or(""))
        } else {
            String::new()
        };
        let missing = if n.is_missing() { " MISSING" } else { "" };
        println!("{}{field}{kind}{leaf}{missing}", "  ".repeat(depth));
        if c.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                break;
            }
            if !c.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}
