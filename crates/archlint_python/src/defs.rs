//! Definitions: `def`/`async def` (with decorators and parameters) and
//! `class`. Decorators, defaults, annotations and bases run where the
//! definition stands, so they are lowered in the enclosing context; the body
//! becomes a new owner and is queued on the statement walker's stack.

use crate::kinds::K;
use crate::lower::{Cx, Lowerer, Owner, index};
use crate::stmt::Stack;
use archlint_model::{Class, Expr, Function, Param, ParamKind, Span};
use tree_sitter::Node;

/// The parts of one parameter node, before lowering.
struct RawParam<'t> {
    name: String,
    kind: ParamKind,
    annotation: Option<Node<'t>>,
    default: Option<Node<'t>>,
}

impl<'t> Lowerer<'t> {
    /// A `function_definition`, `class_definition` or `decorated_definition`.
    pub fn definition(&mut self, node: Node<'t>, cx: Cx, stack: &mut Stack<'t>) {
        let span = self.span(node);
        if self.kind(node) != K::DecoratedDefinition {
            self.def_or_class(node, Vec::new(), span, cx, stack);
            return;
        }
        let mut decorators = Vec::new();
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if self.kind(child) == K::Decorator
                && let Some(e) = self.first_named(child)
            {
                decorators.push(self.expr(e, cx));
            }
        }
        self.done(kids);
        if let Some(def) = self.child(node, self.k.f.definition) {
            self.def_or_class(def, decorators, span, cx, stack);
        }
    }

    fn def_or_class(
        &mut self,
        node: Node<'t>,
        decorators: Vec<Expr>,
        span: Span,
        cx: Cx,
        stack: &mut Stack<'t>,
    ) {
        match self.kind(node) {
            K::FunctionDefinition => self.function(node, decorators, span, cx, stack),
            K::ClassDefinition => self.class(node, decorators, span, cx, stack),
            _ => {}
        }
    }

    fn function(
        &mut self,
        node: Node<'t>,
        decorators: Vec<Expr>,
        span: Span,
        cx: Cx,
        stack: &mut Stack<'t>,
    ) {
        let f = &self.k.f;
        let (name, params) = (self.child(node, f.name), self.child(node, f.parameters));
        let (returns, body) = (self.child(node, f.return_type), self.child(node, f.body));
        let is_async = node.child(0).is_some_and(|c| self.kind(c) == K::Async);
        let (name, name_span) = match name {
            Some(n) => (self.text(n), self.span(n)),
            None => (String::new(), span),
        };
        let in_class = matches!(cx.owner, Owner::Class(_));
        let params = match params {
            Some(p) => self.params(p, in_class, cx),
            None => Vec::new(),
        };
        let returns = returns.map(|r| self.expr(r, cx));
        let idx = index(self.facts.functions.len());
        self.facts.functions.push(Function {
            name,
            container: cx.owner.container(),
            module_path: Vec::new(),
            is_async,
            decorators,
            params,
            returns,
            body: Vec::new(),
            loops: Vec::new(),
            branches: Vec::new(),
            span,
            name_span,
        });
        if let Some(body) = body {
            stack.seq(self, body, Cx::new(Owner::Func(idx), None));
        }
    }

    fn params(&mut self, node: Node<'t>, in_class: bool, cx: Cx) -> Vec<Param> {
        let mut out: Vec<Param> = self.vec_for_named(node);
        let mut keyword_only = false;
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if self.kind(child) == K::KeywordSeparator {
                keyword_only = true;
                continue;
            }
            let Some(raw) = self.raw_param(child) else {
                continue;
            };
            let mut kind = raw.kind;
            if kind == ParamKind::Normal {
                if out.is_empty() && in_class && (raw.name == "self" || raw.name == "cls") {
                    kind = ParamKind::SelfParam;
                } else if keyword_only {
                    kind = ParamKind::KeywordOnly;
                }
            }
            keyword_only |= kind == ParamKind::VarArgs;
            let annotation = raw.annotation.map(|a| self.expr(a, cx));
            let default = raw.default.map(|d| self.expr(d, cx));
            let span = self.span(child);
            out.push(Param {
                name: raw.name,
                kind,
                annotation,
                default,
                span,
            });
        }
        self.done(kids);
        out
    }

    /// Names of lambda parameters.
    pub fn param_names(&mut self, node: Node<'t>) -> Vec<String> {
        let mut out = Vec::new();
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if let Some(raw) = self.raw_param(child) {
                out.push(raw.name);
            }
        }
        self.done(kids);
        out
    }

    /// Reads one parameter node: `a`, `a: T`, `a=v`, `a: T = v`, `*a`, `**a`
    /// (and typed splats). `None` for separators, punctuation and errors.
    fn raw_param(&mut self, node: Node<'t>) -> Option<RawParam<'t>> {
        let kind = self.kind(node);
        let simple = |name, kind| {
            Some(RawParam {
                name,
                kind,
                annotation: None,
                default: None,
            })
        };
        match kind {
            K::Identifier | K::TuplePattern => simple(self.text(node), ParamKind::Normal),
            K::ListSplatPattern | K::DictionarySplatPattern => {
                let name = self
                    .first_named(node)
                    .map(|n| self.text(n))
                    .unwrap_or_default();
                simple(name, splat_kind(kind))
            }
            K::TypedParameter | K::DefaultParameter | K::TypedDefaultParameter => {
                let f = &self.k.f;
                let (annotation, default) = (self.child(node, f.ty), self.child(node, f.value));
                // A typed parameter's name has no field: `x`, `*args` or `**kw`.
                let name = self.child(node, f.name).or_else(|| self.first_named(node));
                let mut raw = RawParam {
                    name: String::new(),
                    kind: ParamKind::Normal,
                    annotation,
                    default,
                };
                if let Some(name) = name {
                    let k = self.kind(name);
                    if matches!(k, K::ListSplatPattern | K::DictionarySplatPattern) {
                        raw.kind = splat_kind(k);
                        raw.name = self
                            .first_named(name)
                            .map(|n| self.text(n))
                            .unwrap_or_default();
                    } else {
                        raw.name = self.text(name);
                    }
                }
                Some(raw)
            }
            _ => None,
        }
    }

    fn class(
        &mut self,
        node: Node<'t>,
        decorators: Vec<Expr>,
        span: Span,
        cx: Cx,
        stack: &mut Stack<'t>,
    ) {
        let f = &self.k.f;
        let (name, bases, body) = (
            self.child(node, f.name),
            self.child(node, f.superclasses),
            self.child(node, f.body),
        );
        let (name, name_span) = match name {
            Some(n) => (self.text(n), self.span(n)),
            None => (String::new(), span),
        };
        let bases = match bases {
            Some(b) => self.args(b, cx),
            None => Vec::new(),
        };
        let idx = index(self.facts.classes.len());
        self.facts.classes.push(Class {
            name,
            parent: if let Owner::Class(i) = cx.owner {
                Some(i)
            } else {
                None
            },
            in_function: if let Owner::Func(i) = cx.owner {
                Some(i)
            } else {
                None
            },
            bases,
            decorators,
            body: Vec::new(),
            span,
            name_span,
        });
        if let Some(body) = body {
            stack.seq(self, body, Cx::new(Owner::Class(idx), None));
        }
    }
}

fn splat_kind(k: K) -> ParamKind {
    if k == K::ListSplatPattern {
        ParamKind::VarArgs
    } else {
        ParamKind::VarKwargs
    }
}
