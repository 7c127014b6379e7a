//! Syntax error spans: where the parser recovered (ERROR or MISSING nodes).
//!
//! Only subtrees whose `has_error()` is set are entered, so a clean file costs
//! one flag check and a broken one a walk along the broken paths only.

use crate::lower::{Lowerer, MAX_SYNTAX_ERRORS};
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    /// Records up to [`MAX_SYNTAX_ERRORS`] error spans under `root`, outermost
    /// first (an ERROR node's own contents are not searched further).
    pub(crate) fn syntax_errors(&mut self, root: Node<'a>) {
        if !root.has_error() {
            return;
        }
        let mut c = self.cursor(root);
        'walk: loop {
            let n = c.node();
            if n.is_error() || n.is_missing() {
                self.facts.syntax_errors.push(self.span(n));
                if self.facts.syntax_errors.len() >= MAX_SYNTAX_ERRORS {
                    break;
                }
            } else if n.has_error() && c.goto_first_child() {
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
    }
}
