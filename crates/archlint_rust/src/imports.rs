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
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    pub(crate) fn use_declaration(&mut self, node: Node<'a>, depth: u32) {
        if let Some(arg) = self.field(node, self.t.f.argument) {
            let mut prefix = Vec::new();
            self.use_tree(arg, &mut prefix, depth + 1);
        }
    }

    fn use_tree(&mut self, node: Node<'a>, prefix: &mut Vec<String>, depth: u32) {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return;
        }
        let span = self.span(node);
        match self.kind(node) {
            Kind::SelfKw if !prefix.is_empty() => self.import(prefix, &[], None, span),
            Kind::Identifier | Kind::Crate | Kind::SelfKw | Kind::Super | Kind::Metavariable => {
                let seg = self.text(node).to_owned();
                self.import(prefix, &[seg], None, span);
            }
            Kind::ScopedIdentifier => {
                let segs = self.path_segments(node);
                self.import(prefix, &segs, None, span);
            }
            Kind::UseAsClause => {
                let segs = self
                    .field(node, self.t.f.path)
                    .map(|p| self.path_segments(p))
                    .unwrap_or_default();
                let alias = self
                    .field(node, self.t.f.alias)
                    .map(|a| self.text(a).to_owned());
                let segs: &[String] = match segs.split_last() {
                    // `self as x` inside a group names the group's path.
                    Some((last, rest)) if last == "self" && rest.is_empty() => &[],
                    _ => &segs,
                };
                self.import(prefix, segs, alias, span);
            }
            Kind::UseWildcard => {
                let segs = match self.first_named(node) {
                    Some(p) => self.path_segments(p),
                    None => Vec::new(),
                };
                let module = prefix
                    .iter()
                    .chain(segs.iter())
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("::");
                self.facts.imports.push(Import {
                    module,
                    name: Some("*".into()),
                    alias: "*".into(),
                    level: 0,
                    span,
                });
            }
            Kind::ScopedUseList => {
                let segs = self
                    .field(node, self.t.f.path)
                    .map(|p| self.path_segments(p))
                    .unwrap_or_default();
                let n = segs.len();
                prefix.extend(segs);
                if let Some(list) = self.field(node, self.t.f.list) {
                    self.use_tree(list, prefix, depth + 1);
                }
                prefix.truncate(prefix.len().saturating_sub(n));
            }
            Kind::UseList => self.each_named(node, |this, ch| this.use_tree(ch, prefix, depth + 1)),
            _ => {}
        }
    }

    /// Records the import of `prefix::segs`, bound as `alias` or its last segment.
    fn import(&mut self, prefix: &[String], segs: &[String], alias: Option<String>, span: Span) {
        let full: Vec<&str> = prefix
            .iter()
            .chain(segs.iter())
            .map(String::as_str)
            .collect();
        let Some((last, init)) = full.split_last() else {
            return;
        };
        let (module, name) = if init.is_empty() {
            ((*last).to_owned(), None)
        } else {
            (init.join("::"), Some((*last).to_owned()))
        };
        self.facts.imports.push(Import {
            module,
            name,
            alias: alias.unwrap_or_else(|| (*last).to_owned()),
            level: 0,
            span,
        });
    }
}
