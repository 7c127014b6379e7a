//! `import` and `from ... import ...` statements, wherever they stand (module
//! level, `if TYPE_CHECKING:` blocks, function bodies): one [`Import`] per
//! bound name, spanning that name.

use crate::kinds::K;
use crate::lower::Lowerer;
use archlint_model::Import;
use tree_sitter::Node;

impl<'t> Lowerer<'t> {
    pub fn import(&mut self, node: Node<'t>) {
        let is_from = self.kind(node) != K::ImportStatement;
        let module_node = self.child(node, self.k.f.module_name);
        let (module, level) = match module_node {
            Some(m) => self.module_name(m),
            None if self.kind(node) == K::FutureImportStatement => ("__future__".to_owned(), 0),
            None => (String::new(), 0),
        };
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if Some(child) == module_node {
                continue;
            }
            // `dotted` is what is imported, `alias` the name it binds.
            let (dotted, alias) = match self.kind(child) {
                K::AliasedImport => {
                    let dotted = self.child(child, self.k.f.name).map(|n| self.dotted(n));
                    let alias = self.child(child, self.k.f.alias).map(|n| self.text(n));
                    (dotted.unwrap_or_default(), alias.unwrap_or_default())
                }
                K::WildcardImport => ("*".to_owned(), "*".to_owned()),
                K::DottedName => {
                    let dotted = self.dotted(child);
                    // `import a.b` binds `a`; `from x import a` binds `a`.
                    let alias = if is_from {
                        dotted.clone()
                    } else {
                        dotted.split('.').next().unwrap_or("").to_owned()
                    };
                    (dotted, alias)
                }
                _ => continue,
            };
            let span = self.span(child);
            let import = if is_from {
                Import {
                    module: module.clone(),
                    name: Some(dotted),
                    alias,
                    level,
                    span,
                }
            } else {
                Import {
                    module: dotted,
                    name: None,
                    alias,
                    level: 0,
                    span,
                }
            };
            self.facts.imports.push(import);
        }
        self.done(kids);
    }

    /// The module of a `from` import and its number of leading dots.
    fn module_name(&mut self, node: Node<'t>) -> (String, u32) {
        if self.kind(node) != K::RelativeImport {
            return (self.dotted(node), 0);
        }
        let (mut module, mut level) = (String::new(), 0);
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            match self.kind(child) {
                K::ImportPrefix => {
                    let dots = self.bytes(child).iter().filter(|&&b| b == b'.').count();
                    level = u32::try_from(dots).unwrap_or(u32::MAX);
                }
                K::DottedName => module = self.dotted(child),
                _ => {}
            }
        }
        self.done(kids);
        (module, level)
    }

    /// `a.b.c` from its identifiers (so `a . b` reads the same).
    fn dotted(&mut self, node: Node<'t>) -> String {
        if self.kind(node) != K::DottedName {
            return self.text(node);
        }
        let mut out = String::new();
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if child.is_named() {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&self.str_at(child.start_byte(), child.end_byte()));
            }
        }
        self.done(kids);
        out
    }
}
