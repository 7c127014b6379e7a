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
//! `errors` (syntax error spans).

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
mod text;
mod tokens;
mod tt_reader;

use archlint_model::FileFacts;
use items::Scope;
use lower::Lowerer;
use tree_sitter::Parser;

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
        // `from_utf8` validates faster than the lossy decoder's chunking.
        let text = match std::str::from_utf8(src) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(src),
        };
        let Some(tree) = self.parser.parse(text.as_bytes(), None) else {
            return FileFacts::default();
        };
        let root = tree.root_node();
        let mut lw = Lowerer::new(&text);
        lw.syntax_errors(root);
        lw.items(root, &Scope::module(), 0);
        lw.finish()
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
