//! `use` declarations to [`Import`]s, one per bound name.
//!
//! `use a::b;` gives module `a`, name `b`, alias `b`; `use a::b as c;` alias
//! `c`; `use a::*;` name `*`; in `use crate::a::{self, b::c}` the `self`
//! gives module `crate`, name `a`, alias `a`, and `b::c` gives module
//! `crate::a::b`, name `c`. A single segment (`use serde;`) gives module
//! `serde`, no name, alias `serde`. Each import's span is its leaf in the tree.

use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH};
use archlint_model::{Import, Span};
use std::borrow::Cow;
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    pub(crate) fn use_declaration(&mut self, node: Node<'a>, depth: u32) {
        if let Some(arg) = self.field(node, self.t.f.argument) {
            let mut path = Vec::new();
            self.use_tree(arg, &mut path, depth + 1);
        }
    }

    /// Lowers the use tree `node` under the segments in `path` (the prefix
    /// of enclosing groups), which it leaves as it found them.
    fn use_tree(&mut self, node: Node<'a>, path: &mut Vec<Cow<'a, str>>, depth: u32) {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return;
        }
        let base = path.len();
        let span = self.span(node);
        match self.kind(node) {
            Kind::SelfKw if base > 0 => self.import(path, None, span),
            Kind::Identifier | Kind::Crate | Kind::SelfKw | Kind::Super | Kind::Metavariable => {
                path.push(Cow::Borrowed(self.text(node)));
                self.import(path, None, span);
            }
            Kind::ScopedIdentifier => {
                self.path_parts(node, path);
                self.import(path, None, span);
            }
            Kind::UseAsClause => {
                if let Some(p) = self.field(node, self.t.f.path) {
                    self.path_parts(p, path);
                }
                let alias = self
                    .field(node, self.t.f.alias)
                    .map(|a| self.text(a).to_owned());
                // `self as x` inside a group names the group's path.
                if path.len() == base + 1 && path[base] == "self" {
                    path.truncate(base);
                }
                self.import(path, alias, span);
            }
            Kind::UseWildcard => {
                if let Some(p) = self.first_named(node) {
                    self.path_parts(p, path);
                }
                self.facts.imports.push(Import {
                    module: path.join("::"),
                    name: Some("*".into()),
                    alias: "*".into(),
                    level: 0,
                    span,
                });
            }
            Kind::ScopedUseList => {
                if let Some(p) = self.field(node, self.t.f.path) {
                    self.path_parts(p, path);
                }
                if let Some(list) = self.field(node, self.t.f.list) {
                    self.use_tree(list, path, depth + 1);
                }
            }
            Kind::UseList => self.each_named(node, |this, ch| this.use_tree(ch, path, depth + 1)),
            _ => {}
        }
        path.truncate(base);
    }

    /// Records the import of `path`, bound as `alias` or its last segment.
    fn import(&mut self, path: &[Cow<'a, str>], alias: Option<String>, span: Span) {
        let Some((last, init)) = path.split_last() else {
            return;
        };
        let (module, name) = if init.is_empty() {
            (last.to_string(), None)
        } else {
            (init.join("::"), Some(last.to_string()))
        };
        self.facts.imports.push(Import {
            module,
            name,
            alias: alias.unwrap_or_else(|| last.to_string()),
            level: 0,
            span,
        });
    }
}
