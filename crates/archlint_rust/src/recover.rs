//! Facts from ERROR nodes at item level, so one syntax error does not hide
//! the rest of a file.
//!
//! Well-formed items inside the ERROR node are lowered as usual. When the
//! parser gave up inside a fn, the node holds its pieces flat (`fn`, the
//! name, the parameters, then statements); those are put back together as a
//! function whose body is the statements that could be read, up to the next
//! `fn` or item. Its span ends at the last piece taken.

use crate::items::{Scope, Tail};
use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH, Sink};
use archlint_model::{Container, Function, Span};
use tree_sitter::Node;

/// A fn being rebuilt from the pieces of an ERROR node.
struct Partial<'a> {
    idx: u32,
    body: Vec<Node<'a>>,
}

impl<'a> Lowerer<'a> {
    /// `outer` holds the attributes just before the ERROR node, which may
    /// belong to its first fn.
    pub(crate) fn recover_items(
        &mut self,
        err: Node<'a>,
        outer: &[Node<'a>],
        scope: &Scope,
        depth: u32,
    ) {
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return;
        }
        let mut attrs: Vec<Node<'a>> = outer.to_vec();
        let mut fn_kw: Option<Node<'a>> = None;
        let mut cur: Option<Partial<'a>> = None;
        let mut c = self.cursor(err);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                let k = self.kind(ch);
                match k {
                    Kind::FnKw => {
                        self.finish_partial(cur.take(), scope, depth);
                        fn_kw = Some(ch);
                    }
                    Kind::Identifier if fn_kw.is_some() => {
                        let start = attrs.first().copied().or(fn_kw).unwrap_or(ch);
                        cur = Some(self.start_partial(ch, start, &attrs, scope, depth));
                        attrs.clear();
                        fn_kw = None;
                    }
                    Kind::Parameters if cur.as_ref().is_some_and(|p| p.body.is_empty()) => {
                        let params = self.params(ch);
                        if let Some(f) = cur
                            .as_ref()
                            .and_then(|p| self.facts.functions.get_mut(p.idx as usize))
                        {
                            f.params = params;
                        }
                    }
                    Kind::AttributeItem => attrs.push(ch),
                    Kind::LineComment | Kind::BlockComment => {}
                    Kind::FunctionItem
                    | Kind::ImplItem
                    | Kind::TraitItem
                    | Kind::ModItem
                    | Kind::UseDeclaration
                    | Kind::ConstItem
                    | Kind::StaticItem
                    | Kind::Error => {
                        self.finish_partial(cur.take(), scope, depth);
                        self.item(ch, &attrs, scope, depth);
                        attrs.clear();
                    }
                    Kind::LetDeclaration | Kind::ExpressionStatement | Kind::Block => {
                        if let Some(p) = cur.as_mut() {
                            p.body.push(ch);
                        }
                    }
                    _ if k.is_expr() => {
                        if let Some(p) = cur.as_mut() {
                            p.body.push(ch);
                        }
                    }
                    _ => {}
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        self.finish_partial(cur, scope, depth);
    }

    fn start_partial(
        &mut self,
        name: Node<'a>,
        start: Node<'a>,
        attrs: &[Node<'a>],
        scope: &Scope,
        depth: u32,
    ) -> Partial<'a> {
        let mut decorators = Vec::new();
        for a in attrs {
            if let Some(d) = self.decorator(*a, depth + 1) {
                decorators.push(d);
            }
        }
        let idx = u32::try_from(self.facts.functions.len()).unwrap_or(u32::MAX);
        self.facts.functions.push(Function {
            name: self.text(name).to_owned(),
            container: scope.container,
            module_path: scope.module_path.clone(),
            is_async: false,
            decorators,
            params: Vec::new(),
            returns: None,
            body: Vec::new(),
            loops: Vec::new(),
            branches: Vec::new(),
            span: self.span2(start, name),
            name_span: self.span(name),
        });
        Partial {
            idx,
            body: Vec::new(),
        }
    }

    fn finish_partial(&mut self, p: Option<Partial<'a>>, scope: &Scope, depth: u32) {
        let Some(p) = p else {
            return;
        };
        let (mut stmts, mut loops, mut branches) = (Vec::new(), Vec::new(), Vec::new());
        let mut sink = Sink {
            stmts: &mut stmts,
            loops: &mut loops,
            branches: &mut branches,
            loop_idx: None,
            owner: Container::Function(p.idx),
            module_path: &scope.module_path,
        };
        for n in &p.body {
            self.flow(*n, Tail::Discard, &mut sink, depth + 1);
        }
        let end = p.body.last().map(|n| self.span(*n).end);
        if let Some(f) = self.facts.functions.get_mut(p.idx as usize) {
            f.body = stmts;
            f.loops = loops;
            f.branches = branches;
            if let Some(end) = end {
                f.span = Span::new(f.span.start, end);
            }
        }
    }
}
