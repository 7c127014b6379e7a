//! Outer attributes as decorators, and recognising test-only code.
//!
//! `#[get("/u/<id>", rank = 2)]` becomes `Call { func: Name("get"), args:
//! [Str("/u/<id>"), rank = Number("2")] }`; `#[actix_web::post("/x")]` has
//! `func: Path(["actix_web", "post"])`; `#[instrument]` is a bare `Name`;
//! `#[path = "x.rs"]` is a call with the value as its one positional argument.
//! Arguments are token trees, lowered by [`crate::tokens`]. Doc attributes
//! (`#[doc = ...]`; `///` comments are not attributes in the tree) are dropped.

use crate::kinds::Kind;
use crate::lower::{Lowerer, Sink};
use archlint_model::{Arg, Container, Expr, ExprKind};
use tree_sitter::Node;

/// Attribute names (last path segment) that mark a test function.
const TEST_ATTRS: &[&str] = &["bench", "rstest", "test", "test_case"];

impl<'a> Lowerer<'a> {
    /// The decorator for an `attribute_item`, or `None` for doc attributes.
    pub(crate) fn decorator(&mut self, item: Node<'a>, depth: u32) -> Option<Expr> {
        let attr = self.child_of_kind(item, Kind::Attribute)?;
        let path_node = self.first_named(attr)?;
        let segs = self.path_segments(path_node);
        if segs.len() == 1 && segs.first().is_some_and(|s| s == "doc") {
            return None;
        }
        let func = self.path_expr(segs, self.span(path_node));
        let span = self.span(item);
        if let Some(args) = self.field(attr, self.t.f.arguments) {
            let args = self.tt_args(args, depth + 1);
            return Some(Expr::new(
                ExprKind::Call {
                    func: Box::new(func),
                    args,
                },
                span,
            ));
        }
        if let Some(value) = self.field(attr, self.t.f.value) {
            // Attribute values are literals in practice; anything a block
            // would hoist out of them has nowhere to go and is dropped.
            let (mut stmts, mut loops, mut branches) = (Vec::new(), Vec::new(), Vec::new());
            let mut sink = Sink {
                stmts: &mut stmts,
                loops: &mut loops,
                branches: &mut branches,
                loop_idx: None,
                owner: Container::Module,
                module_path: &[],
            };
            let value = self.expr(value, &mut sink, depth + 1);
            let args = vec![Arg { name: None, value }];
            return Some(Expr::new(
                ExprKind::Call {
                    func: Box::new(func),
                    args,
                },
                span,
            ));
        }
        Some(func)
    }

    /// `#[cfg(test)]` (see [`Lowerer::cfg_is_test`]), or a test
    /// marker such as `#[test]`, `#[tokio::test]`, `#[rstest]`.
    pub(crate) fn is_test_attr(&mut self, item: Node<'a>) -> bool {
        let Some(attr) = self.child_of_kind(item, Kind::Attribute) else {
            return false;
        };
        let Some(path_node) = self.first_named(attr) else {
            return false;
        };
        let last = match self.kind(path_node) {
            Kind::ScopedIdentifier => self
                .field(path_node, self.t.f.name)
                .map_or("", |n| self.text(n)),
            _ => self.text(path_node),
        };
        if last == "cfg" {
            return match self.field(attr, self.t.f.arguments) {
                Some(tt) => self.cfg_is_test(tt),
                None => false,
            };
        }
        TEST_ATTRS.contains(&last)
    }

    /// Whether a cfg predicate holds only under test: it mentions `test`,
    /// and neither `not` nor `any` (`cfg(any(test, feature = "x"))` is also
    /// compiled outside tests).
    fn cfg_is_test(&mut self, tt: Node<'a>) -> bool {
        let (mut test, mut not) = (false, false);
        let mut c = self.cursor(tt);
        // Iterative pre-order walk; cfg predicates are tiny, but bound it anyway.
        let mut budget = 10_000u32;
        'walk: loop {
            let n = c.node();
            if self.kind(n) == Kind::Identifier {
                match self.text(n) {
                    "test" => test = true,
                    "not" | "any" => not = true,
                    _ => {}
                }
            }
            budget = budget.saturating_sub(1);
            if budget > 0 && c.goto_first_child() {
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    break 'walk;
                }
            }
        }
        self.done(c);
        test && !not
    }
}
