//! Syntax error spans. Skipped entirely for a clean tree; otherwise a cursor
//! descends only into subtrees that contain an error, so this is not a second
//! full walk, and it stops after [`MAX_SYNTAX_ERRORS`].

use crate::lower::Lowerer;
use tree_sitter::Node;

/// At most this many ERROR/MISSING spans are kept per file.
pub(crate) const MAX_SYNTAX_ERRORS: usize = 20;

impl<'t> Lowerer<'t> {
    pub fn syntax_errors(&mut self, root: Node<'t>) {
        if !root.has_error() {
            return;
        }
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let descend = if node.is_error() || node.is_missing() {
                // One span per recovered region; errors nested in it add nothing.
                let span = self.span(node);
                self.facts.syntax_errors.push(span);
                if self.facts.syntax_errors.len() >= MAX_SYNTAX_ERRORS {
                    return;
                }
                false
            } else {
                node.has_error()
            };
            if descend && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }
}
