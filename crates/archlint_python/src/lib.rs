//! tree-sitter-python extractor: Python source to archlint [`FileFacts`].
//!
//! One [`PythonExtractor`] per thread parses a file, lowers the tree in one
//! pass into the language-neutral facts of `archlint_model`, and drops the
//! tree. Extraction never panics and never recurses without a bound: the
//! statement walk uses an explicit stack and expressions stop at a fixed
//! depth (deeper ones become `Other(vec![])` and set `truncated`).
//!
//! Lowering conventions beyond the doc comments of `archlint_model::facts`:
//! - compound statements contribute conditions (`if`, `elif`, `match` subject
//!   and guards), `assert`/`raise`/`del` operands and `with` items as
//!   statements, then the statements of their blocks; `except` types are not kept;
//! - a `for` loop's iterable lives only in its [`archlint_model::Loop`]; a
//!   `while` condition is both the loop's `iter` and an `Expr` statement inside
//!   the loop (it runs on every iteration);
//! - comprehensions, walrus assignments and lambdas: see `scoped.rs` (in short:
//!   a comprehension is an empty `Other`, its loops go to the owner's `loops`
//!   and its element and conditions become statements carrying those loops);
//! - `x: T` without a value is an `Assign` whose value is an empty `Other`;
//! - `**d` in a dict literal is a pair with an empty `Other` key;
//! - bytes literals are `Str` with escapes resolved, `\xhh` as the Latin-1
//!   char; `\N{...}` and unknown escapes are kept as written;
//! - an import spans the name it binds (not the whole statement);
//! - classes have no `loops`: loops in a class body contribute their iterable
//!   and body as plain class statements.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod defs;
mod errors;
mod expr;
mod imports;
mod kinds;
mod lower;
mod pos;
mod scoped;
mod stmt;
mod strings;
mod text;

use archlint_model::FileFacts;
use kinds::Kinds;
use lower::Lowerer;
use tree_sitter::{Language, Parser};

/// Lowers Python files to facts. Holds a parser; use one per thread.
pub struct PythonExtractor {
    parser: Parser,
    kinds: Kinds,
}

impl PythonExtractor {
    /// An extractor with a parser set to the Python grammar.
    pub fn new() -> Self {
        let lang: Language = tree_sitter_python::LANGUAGE.into();
        let mut parser = Parser::new();
        // Fails only if the grammar's ABI is unsupported, fixed at build time
        // (and exercised by every test), never because of input.
        parser
            .set_language(&lang)
            .expect("tree-sitter-python is ABI compatible with tree-sitter");
        PythonExtractor {
            parser,
            kinds: Kinds::new(&lang),
        }
    }

    /// Parses `src` and lowers it. Never panics: invalid UTF-8 is read
    /// lossily, syntax errors are recorded and the rest is still lowered.
    pub fn extract(&mut self, src: &[u8]) -> FileFacts {
        let Some(tree) = self.parser.parse(src, None) else {
            return FileFacts::default();
        };
        let root = tree.root_node();
        let mut lowerer = Lowerer::new(src, &self.kinds);
        lowerer.syntax_errors(root);
        lowerer.lower_module(root);
        lowerer.facts
    }

    /// Only parses `src` and returns the number of nodes in the tree: the
    /// baseline the extraction benchmark compares against.
    pub fn parse_only(&mut self, src: &[u8]) -> usize {
        self.parser
            .parse(src, None)
            .map_or(0, |tree| tree.root_node().descendant_count())
    }
}

impl Default for PythonExtractor {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_can_move_to_a_worker_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<PythonExtractor>();
    }

    #[test]
    fn one_extractor_serves_many_files() {
        let mut x = PythonExtractor::new();
        let a = x.extract(b"def a(): pass\n");
        let broken = x.extract(b"def (:\n");
        let b = x.extract(b"def a(): pass\n");
        assert_eq!(a, b);
        assert!(!broken.syntax_errors.is_empty());
    }
}
