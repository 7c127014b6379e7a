//! The lowering state shared by every part of the extractor: source text,
//! position converter, the facts being built, a pool of tree cursors, and the nesting
//! bounds that keep recursion on syntax trees finite.

use crate::kinds::{Kind, Table};
use crate::pos::Positions;
use archlint_model::{
    Branch, Container, Expr, ExprKind, FileFacts, Loop, LoopIdx, Span, Stmt, StmtKind,
};
use tree_sitter::{Node, TreeCursor};

/// Bound on native recursion while lowering (expressions, blocks used as
/// values, closures, nested items, token trees). Deeper code becomes
/// `ExprKind::Other(vec![])` and sets `FileFacts::truncated`.
pub(crate) const MAX_DEPTH: u32 = 48;

/// Bound on the links of one method-call chain (`a.b().c().await?`), which is
/// lowered iteratively so that long router chains are not cut by [`MAX_DEPTH`].
pub(crate) const MAX_CHAIN: usize = 256;

/// At most this many syntax error spans are recorded per file.
pub(crate) const MAX_SYNTAX_ERRORS: usize = 20;

/// Lowering state for one file. Dropped, with the tree, at the end of `extract`.
pub(crate) struct Lowerer<'a> {
    pub text: &'a str,
    pub positions: Positions<'a>,
    pub t: &'static Table,
    pub facts: FileFacts,
    /// Reused cursors: creating one allocates, and children are iterated everywhere.
    cursors: Vec<TreeCursor<'a>>,
    /// Reused node lists (method-chain links): every chain needs one for a
    /// moment, and most are short.
    node_lists: Vec<Vec<Node<'a>>>,
    /// Reused work stacks of [`Lowerer::flow`], one per nested block being lowered.
    pub(crate) work_stacks: Vec<Vec<crate::body::Work<'a>>>,
}

/// Where statements of the body being lowered go.
pub(crate) struct Sink<'b> {
    pub stmts: &'b mut Vec<Stmt>,
    /// The owner's loops (a function's, or the module's); closures share them.
    pub loops: &'b mut Vec<Loop>,
    /// The owner's `if` branches; closures share them.
    pub branches: &'b mut Vec<Branch>,
    /// Innermost enclosing loop of what is being lowered now.
    pub loop_idx: Option<LoopIdx>,
    /// Container for items (nested fns) met in this body.
    pub owner: Container,
    /// Inline module path of the body's owner.
    pub module_path: &'b [String],
}

impl Sink<'_> {
    pub fn push(&mut self, kind: StmtKind, span: Span) {
        self.stmts.push(Stmt {
            kind,
            span,
            loop_idx: self.loop_idx,
        });
    }

    /// Appends a loop and returns its index.
    pub fn add_loop(&mut self, lp: Loop) -> LoopIdx {
        let idx = u32::try_from(self.loops.len()).unwrap_or(u32::MAX);
        self.loops.push(lp);
        idx
    }
}

impl<'a> Lowerer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lowerer {
            text,
            positions: Positions::new(text),
            t: Table::get(),
            facts: FileFacts::default(),
            cursors: Vec::new(),
            node_lists: Vec::new(),
            work_stacks: Vec::new(),
        }
    }

    #[inline]
    pub fn kind(&self, node: Node<'_>) -> Kind {
        self.t.kind(node)
    }

    /// Source text of a node ("" if its range is not on char boundaries, which
    /// cannot happen for a tree parsed from this text, but costs nothing to guard).
    #[inline]
    pub fn text(&self, node: Node<'_>) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    pub fn span(&self, node: Node<'_>) -> Span {
        self.span2(node, node)
    }

    /// From the start of `first` to the end of `last`.
    pub fn span2(&self, first: Node<'_>, last: Node<'_>) -> Span {
        let s = first.start_position();
        let e = last.end_position();
        Span::new(
            self.positions.pos(s.row, s.column, || first.start_byte()),
            self.positions.pos(e.row, e.column, || last.end_byte()),
        )
    }

    /// Marks the facts as incomplete and returns an empty expression at `node`.
    pub fn truncated(&mut self, node: Node<'_>) -> Expr {
        self.facts.truncated = true;
        Expr::new(ExprKind::Other(Vec::new()), self.span(node))
    }

    /// A cursor on `node` from the pool; give it back with [`Lowerer::done`].
    pub fn cursor(&mut self, node: Node<'a>) -> TreeCursor<'a> {
        match self.cursors.pop() {
            Some(mut c) => {
                c.reset(node);
                c
            }
            None => node.walk(),
        }
    }

    pub fn done(&mut self, c: TreeCursor<'a>) {
        self.cursors.push(c);
    }

    /// An empty node list from the pool; give it back with [`Lowerer::give_back`].
    pub fn node_list(&mut self) -> Vec<Node<'a>> {
        self.node_lists.pop().unwrap_or_default()
    }

    pub fn give_back(&mut self, mut list: Vec<Node<'a>>) {
        list.clear();
        self.node_lists.push(list);
    }

    /// Calls `f` on every named child of `node` that is not a comment.
    pub fn each_named(&mut self, node: Node<'a>, mut f: impl FnMut(&mut Self, Node<'a>)) {
        let mut c = self.cursor(node);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                if ch.is_named() && !self.kind(ch).is_comment() {
                    f(self, ch);
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
    }

    /// The first named child that is not a comment.
    pub fn first_named(&mut self, node: Node<'a>) -> Option<Node<'a>> {
        let mut c = self.cursor(node);
        let mut found = None;
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                if ch.is_named() && !self.kind(ch).is_comment() {
                    found = Some(ch);
                    break;
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        found
    }

    /// The first child (named or not) of kind `k`.
    pub fn child_of_kind(&mut self, node: Node<'a>, k: Kind) -> Option<Node<'a>> {
        let mut c = self.cursor(node);
        let mut found = None;
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                if self.kind(ch) == k {
                    found = Some(ch);
                    break;
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        found
    }

    #[inline]
    pub fn field(&self, node: Node<'a>, id: u16) -> Option<Node<'a>> {
        if id == 0 {
            return None;
        }
        node.child_by_field_id(id)
    }
}

impl Lowerer<'_> {
    /// The facts, with the cursors released.
    pub fn finish(mut self) -> FileFacts {
        // Looked up by span (`FileFacts::type_args_at`).
        self.facts.type_args.sort_by_key(|t| t.span);
        self.facts
    }
}
