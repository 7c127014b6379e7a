//! Rust source to archlint facts, with tree-sitter-rust.
//!
//! [`RustExtractor::extract`] parses one file, lowers its syntax tree into the
//! language-neutral [`FileFacts`] of `archlint_model` in one pass, and drops
//! the tree. It records what the code says (attributes, calls, chains,
//! macro arguments, loops), never what it means.
//!
//! Guarantees, for any input bytes:
//! - no panic: invalid UTF-8 is read lossily (`U+FFFD` for bad bytes, which
//!   keeps positions right since `LineMap` counts them the same way), syntax
//!   errors are recovered from and their spans recorded;
//! - time linear in the input: positions are converted without rescanning
//!   long lines (see `pos`);
//! - bounded native stack: bodies are walked with an explicit stack, chains
//!   with a loop, and everything else recursive stops at a fixed depth
//!   (`FileFacts::truncated` says so);
//! - one extractor per thread: it holds a parser and is `Send`, not shared.
//!
//! How each construct is lowered is documented in the module that does it:
//! `items` (fns, impls, consts, test code), `attrs` (decorators), `imports`,
//! `body` and `control` (statements, conditions, loops), `expr`, `chain`
//! (calls), `tokens` and `tt_reader` (macros and attribute arguments), `text`
//! (type text), `literals`, `recover` (facts from around syntax errors),
//! `errors` (syntax error spans), `test_mods` (inline `#[cfg(test)]` module
//! bodies, left out of the parse).

#![deny(missing_docs)]

mod attrs;
mod body;
mod chain;
mod control;
mod errors;
mod expr;
mod imports;
mod items;
mod kinds;
mod literals;
mod lower;
mod pos;
mod recover;
mod test_mods;
mod text;
mod tokens;
mod tt_reader;

use archlint_model::FileFacts;
use items::Scope;
use lower::Lowerer;
use tree_sitter::{Parser, Tree};

/// Lowers Rust source files to [`FileFacts`]. Holds a tree-sitter parser, so
/// create one per thread and reuse it for many files.
pub struct RustExtractor {
    parser: Parser,
}

impl Default for RustExtractor {
    fn default() -> Self {
        Self::new()
    }
}

impl RustExtractor {
    /// A new extractor with the Rust grammar loaded.
    pub fn new() -> Self {
        let mut parser = Parser::new();
        // Only fails on an ABI mismatch, which the build pins; a parser
        // without a language then parses nothing, and extraction yields no facts.
        let _ = parser.set_language(&tree_sitter_rust::LANGUAGE.into());
        RustExtractor { parser }
    }

    /// Extracts the facts of one file. Never panics, whatever `src` holds.
    pub fn extract(&mut self, src: &[u8]) -> FileFacts {
        self.extract_with(src, true)
    }

    fn extract_with(&mut self, src: &[u8], skip_tests: bool) -> FileFacts {
        // `from_utf8` validates faster than the lossy decoder's chunking.
        let text = match std::str::from_utf8(src) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(src),
        };
        let Some(tree) = self.parse(text.as_bytes(), skip_tests) else {
            return FileFacts::default();
        };
        let root = tree.root_node();
        let mut lw = Lowerer::new(&text);
        lw.syntax_errors(root);
        lw.items(root, &Scope::module(), 0);
        lw.finish()
    }

    /// Parses `src`, leaving out the bodies of inline test modules when
    /// `skip_tests` (see `test_mods`); in full when the tree does not
    /// confirm what the lexer found there.
    fn parse(&mut self, src: &[u8], skip_tests: bool) -> Option<Tree> {
        let mods = if skip_tests {
            test_mods::find(src)
        } else {
            Vec::new()
        };
        if !mods.is_empty() {
            let ranges = test_mods::included_ranges(src, &mods);
            if self.parser.set_included_ranges(&ranges).is_ok() {
                let tree = self.parser.parse(src, None);
                // An empty list is the whole document again, for the next file.
                let _ = self.parser.set_included_ranges(&[]);
                if let Some(tree) = tree
                    && test_mods::confirmed(&tree, &mods)
                {
                    return Some(tree);
                }
            }
        }
        self.parser.parse(src, None)
    }

    /// Parses only, for benchmarks comparing extraction with bare parsing;
    /// returns the number of nodes in the tree.
    pub fn parse_only(&mut self, src: &[u8]) -> usize {
        match self.parser.parse(src, None) {
            Some(tree) => tree.root_node().descendant_count(),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RustExtractor;

    const SERVICE: &str = r#"use axum::{Router, routing::get};

#[cfg(test)]
mod tests {
    use super::*;
    const BRACE: char = '}';

    #[tokio::test]
    async fn lists() {
        for id in ids() {
            sqlx::query("SELECT * FROM users WHERE id = $1").bind(id).fetch_one(&pool).await;
        }
    }
}

pub fn app() -> Router {
    Router::new().route("/users", get(list))
}

async fn list(State(pool): State<PgPool>) -> String {
    let rows = sqlx::query("SELECT name FROM users").fetch_all(&pool).await;
    format!("{rows:?}")
}
"#;

    #[test]
    fn leaving_test_modules_out_of_the_parse_changes_no_fact() {
        let mut x = RustExtractor::new();
        let skipped = x.extract_with(SERVICE.as_bytes(), true);
        let full = x.extract_with(SERVICE.as_bytes(), false);
        assert_eq!(skipped, full);
        let names: Vec<&str> = skipped.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["app", "list"]);
        // Positions after the left-out body are those of the full text.
        let list = &skipped.functions[1];
        assert_eq!(list.span.start.line, 20);
    }

    #[test]
    fn test_module_bodies_are_not_parsed() {
        // A syntax error inside the test module: seen by a full parse only.
        let src = SERVICE.replace("const BRACE: char = '}';", "let = ;");
        let mut x = RustExtractor::new();
        let full = x.extract_with(src.as_bytes(), false);
        assert!(!full.syntax_errors.is_empty());
        let skipped = x.extract(src.as_bytes());
        assert!(
            skipped.syntax_errors.is_empty(),
            "{:?}",
            skipped.syntax_errors
        );
        assert_eq!(skipped.functions.len(), 2);
        // The parser parses whole files again afterwards.
        let next = x.extract(b"fn f() { let = ; }");
        assert!(!next.syntax_errors.is_empty());
    }

    #[test]
    fn a_test_module_the_tree_does_not_confirm_is_parsed_in_full() {
        // Inside a macro's token tree the lexer's find is no module item.
        let src = "cfg_if::cfg_if! {\n    #[cfg(test)]\n    mod t { fn f() { g(); } }\n}\nfn h() { k(); }\n";
        let mut x = RustExtractor::new();
        assert_eq!(
            x.extract(src.as_bytes()),
            x.extract_with(src.as_bytes(), false)
        );
        // A syntax error elsewhere in the file: parsed in full as before.
        let src = format!("{SERVICE}\nfn broken( {{");
        let full = x.extract_with(src.as_bytes(), false);
        assert_eq!(x.extract(src.as_bytes()), full);
    }
}
