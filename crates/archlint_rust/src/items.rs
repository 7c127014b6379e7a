//! Items: the file, inline modules, impls, traits, fns, consts and statics.
//!
//! Items are walked in source order, so `functions` is in source order even
//! for nested fns (a fn's slot is reserved before its body is lowered).
//! Nesting of modules, impls and fns recurses with a depth bound.
//! Items under `#[cfg(test)]` and fns marked `#[test]`-like are skipped whole,
//! so test code never produces routes or queries.

use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH, Sink};
use crate::text::{normalize, self_type, strip_generics};
use archlint_model::{
    Container, Expr, ExprKind, Function, Impl, ItemMacro, Param, ParamKind, Span, StmtKind,
};
use tree_sitter::Node;

/// Where items being walked live.
#[derive(Clone)]
pub(crate) struct Scope {
    pub module_path: Vec<String>,
    pub container: Container,
    /// Path prefix for associated consts (`User` for `impl User { const SQL ... }`).
    pub assoc: Option<String>,
}

impl Scope {
    pub fn module() -> Self {
        Scope {
            module_path: Vec::new(),
            container: Container::Module,
            assoc: None,
        }
    }
}

/// How a body is walked: its tail expression is returned (fn bodies,
/// closures), collected as the value of an enclosing expression, or discarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tail {
    Discard,
    Return,
    Collect,
}

impl<'a> Lowerer<'a> {
    /// Walks the items of a container node (`source_file`, `declaration_list`,
    /// or an ERROR node whose children may still be items).
    pub(crate) fn items(&mut self, container: Node<'a>, scope: &Scope, depth: u32) {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return;
        }
        let mut attrs: Vec<Node<'a>> = Vec::new();
        let mut c = self.cursor(container);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                match self.kind(ch) {
                    Kind::AttributeItem => attrs.push(ch),
                    Kind::LineComment | Kind::BlockComment => {}
                    // `#![cfg(test)]` comes first in its file or module: skip all of it.
                    Kind::InnerAttributeItem if self.is_test_attr(ch) => break,
                    _ if ch.is_named() => {
                        self.item(ch, &attrs, scope, depth);
                        attrs.clear();
                    }
                    _ => {}
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
    }

    /// Lowers one item with its outer attributes. Used at module level and,
    /// for nested fns, impls, traits and mods, from bodies.
    pub(crate) fn item(&mut self, node: Node<'a>, attrs: &[Node<'a>], scope: &Scope, depth: u32) {
        if attrs.iter().any(|a| self.is_test_attr(*a)) {
            return;
        }
        match self.kind(node) {
            Kind::FunctionItem => self.function(node, attrs, scope, depth),
            Kind::ImplItem => self.impl_item(node, attrs, scope, depth),
            Kind::TraitItem => {
                if let Some(body) = self.field(node, self.t.f.body) {
                    let name = self
                        .field(node, self.t.f.name)
                        .map(|n| self.text(n).to_owned());
                    let inner = Scope {
                        module_path: scope.module_path.clone(),
                        container: Container::Module,
                        assoc: name,
                    };
                    self.items(body, &inner, depth + 1);
                }
            }
            Kind::ModItem => {
                let name = self.field(node, self.t.f.name);
                if let (Some(body), Some(name)) = (self.field(node, self.t.f.body), name) {
                    let mut inner = scope.clone();
                    inner.module_path.push(self.text(name).to_owned());
                    inner.assoc = None;
                    self.items(body, &inner, depth + 1);
                }
            }
            Kind::UseDeclaration => self.use_declaration(node, depth),
            Kind::ConstItem | Kind::StaticItem => {
                let mut stmts = std::mem::take(&mut self.facts.module_stmts);
                let mut loops = std::mem::take(&mut self.facts.module_loops);
                let mut branches = Vec::new();
                let mut sink = Sink {
                    stmts: &mut stmts,
                    loops: &mut loops,
                    branches: &mut branches,
                    loop_idx: None,
                    owner: Container::Module,
                    module_path: &scope.module_path,
                };
                let target = self.const_target(node, scope);
                self.const_item(node, attrs, target, &mut sink, depth);
                self.facts.module_stmts = stmts;
                self.facts.module_loops = loops;
            }
            Kind::MacroInvocation => self.item_macro(node),
            // `joinable!(a -> b (c));` at module level parses as a statement.
            Kind::ExpressionStatement => {
                if let Some(m) = self.child_of_kind(node, Kind::MacroInvocation) {
                    self.item_macro(m);
                }
            }
            // Parse what we can: items the parser could not place.
            Kind::Error => self.recover_items(node, attrs, scope, depth + 1),
            _ => {}
        }
    }

    /// A macro invoked as an item (`diesel::table! { .. }`): its path and
    /// input text, for readers of macro languages such as diesel's schema.
    fn item_macro(&mut self, node: Node<'a>) {
        let path = match self.field(node, self.t.f.macro_) {
            Some(m) => self.path_segments(m),
            None => return,
        };
        let Some(tt) = self.child_of_kind(node, Kind::TokenTree) else {
            return;
        };
        let text = self.text(tt);
        let mut end = text.len().min(ItemMacro::MAX_BODY);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let item = ItemMacro {
            path,
            body: text[..end].to_owned(),
            body_start: self.span(tt).start,
            span: self.span(node),
        };
        self.facts.item_macros.push(item);
    }

    /// `NAME` at file level; `a::NAME` in inline module `a`; `User::NAME` for
    /// an associated const of `impl User` (or of trait `User`).
    fn const_target(&self, node: Node<'a>, scope: &Scope) -> Vec<String> {
        let name = self
            .field(node, self.t.f.name)
            .map(|n| self.text(n))
            .unwrap_or("");
        let mut segs = match &scope.assoc {
            Some(a) => vec![a.clone()],
            None => scope.module_path.clone(),
        };
        segs.push(name.to_owned());
        segs
    }

    /// `const NAME: T = v;` / `static NAME: T = v;` as an assignment in `sink`.
    pub(crate) fn const_item(
        &mut self,
        node: Node<'a>,
        attrs: &[Node<'a>],
        target: Vec<String>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) {
        let (Some(value), Some(name)) = (
            self.field(node, self.t.f.value),
            self.field(node, self.t.f.name),
        ) else {
            return;
        };
        let annotation = self.field(node, self.t.f.type_).map(|t| self.type_expr(t));
        let value = self.expr(value, sink, depth + 1);
        let target_kind = if target.len() == 1 {
            ExprKind::Name(target.into_iter().next().unwrap_or_default())
        } else {
            ExprKind::Path(target)
        };
        let span = self.item_span(node, attrs);
        sink.push(
            StmtKind::Assign {
                targets: vec![Expr::new(target_kind, self.span(name))],
                value,
                annotation: annotation.map(Box::new),
                augmented: false,
            },
            span,
        );
    }

    /// A type node as `ExprKind::Type` with normalised text.
    pub(crate) fn type_expr(&self, node: Node<'a>) -> Expr {
        Expr::new(ExprKind::Type(normalize(self.text(node))), self.span(node))
    }

    /// The item's span, from its first outer attribute to its end.
    fn item_span(&self, node: Node<'a>, attrs: &[Node<'a>]) -> Span {
        self.span2(attrs.first().copied().unwrap_or(node), node)
    }

    fn impl_item(&mut self, node: Node<'a>, attrs: &[Node<'a>], scope: &Scope, depth: u32) {
        let trait_name = self
            .field(node, self.t.f.trait_)
            .map(|t| strip_generics(&normalize(self.text(t))));
        let self_ty = self
            .field(node, self.t.f.type_)
            .map(|t| self_type(&normalize(self.text(t))))
            .unwrap_or_default();
        let idx = u32::try_from(self.facts.impls.len()).unwrap_or(u32::MAX);
        self.facts.impls.push(Impl {
            trait_name,
            self_ty: self_ty.clone(),
            module_path: scope.module_path.clone(),
            span: self.item_span(node, attrs),
        });
        if let Some(body) = self.field(node, self.t.f.body) {
            let inner = Scope {
                module_path: scope.module_path.clone(),
                container: Container::Impl(idx),
                assoc: Some(self_ty),
            };
            self.items(body, &inner, depth + 1);
        }
    }

    fn function(&mut self, node: Node<'a>, attrs: &[Node<'a>], scope: &Scope, depth: u32) {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return;
        }
        let f = &self.t.f;
        let name_node = self.field(node, f.name);
        let name = name_node
            .map(|n| self.text(n).to_owned())
            .unwrap_or_default();
        let name_span = name_node.map_or_else(|| self.span(node), |n| self.span(n));
        let is_async = self.is_async_fn(node);
        let mut decorators = Vec::with_capacity(attrs.len());
        for a in attrs {
            if let Some(d) = self.decorator(*a, depth + 1) {
                decorators.push(d);
            }
        }
        let params = match self.field(node, f.parameters) {
            Some(p) => self.params(p),
            None => Vec::new(),
        };
        let returns = self.field(node, f.return_type).map(|t| self.type_expr(t));
        let idx = u32::try_from(self.facts.functions.len()).unwrap_or(u32::MAX);
        self.facts.functions.push(Function {
            name,
            container: scope.container,
            module_path: scope.module_path.clone(),
            is_async,
            decorators,
            params,
            returns,
            body: Vec::new(),
            loops: Vec::new(),
            branches: Vec::new(),
            span: self.item_span(node, attrs),
            name_span,
        });
        let Some(body) = self.field(node, f.body) else {
            return;
        };
        let mut stmts = Vec::new();
        let mut loops = Vec::new();
        let mut branches = Vec::new();
        let mut sink = Sink {
            stmts: &mut stmts,
            loops: &mut loops,
            branches: &mut branches,
            loop_idx: None,
            owner: Container::Function(idx),
            module_path: &scope.module_path,
        };
        self.flow(body, Tail::Return, &mut sink, depth + 1);
        if let Some(func) = self.facts.functions.get_mut(idx as usize) {
            func.body = stmts;
            func.loops = loops;
            func.branches = branches;
        }
    }

    fn is_async_fn(&mut self, node: Node<'a>) -> bool {
        match self.child_of_kind(node, Kind::FunctionModifiers) {
            Some(m) => self.child_of_kind(m, Kind::AsyncKw).is_some(),
            None => false,
        }
    }

    /// Parameters: `self` forms are `SelfParam`; others keep their pattern's
    /// normalised text as name and their type as `ExprKind::Type`.
    pub(crate) fn params(&mut self, list: Node<'a>) -> Vec<Param> {
        let mut out = Vec::new();
        self.each_named(list, |this, p| {
            let span = this.span(p);
            match this.kind(p) {
                Kind::SelfParameter => out.push(Param {
                    name: "self".into(),
                    kind: ParamKind::SelfParam,
                    annotation: None,
                    default: None,
                    span,
                }),
                Kind::Parameter | Kind::VariadicParameter => {
                    let pat = this.field(p, this.t.f.pattern);
                    let is_self = pat.is_some_and(|n| this.kind(n) == Kind::SelfKw);
                    out.push(Param {
                        name: pat.map(|n| normalize(this.text(n))).unwrap_or_default(),
                        kind: if is_self {
                            ParamKind::SelfParam
                        } else {
                            ParamKind::Normal
                        },
                        annotation: this.field(p, this.t.f.type_).map(|t| this.type_expr(t)),
                        default: None,
                        span,
                    });
                }
                _ => {}
            }
        });
        out
    }
}
