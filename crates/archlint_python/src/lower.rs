//! The lowering context shared by statements and expressions: the facts being
//! built, child iteration over pooled tree cursors, the owner/loop context and
//! the sinks that put statements and loops into the right owner.

use crate::kinds::{K, Kinds};
use crate::pos::Positions;
use archlint_model::{
    ClassIdx, Container, Expr, ExprKind, FileFacts, FuncIdx, Loop, LoopIdx, Span, Stmt, StmtKind,
};
use tree_sitter::{Node, TreeCursor};

/// Expressions nested deeper than this become `Other(vec![])` and set
/// `FileFacts::truncated`; this bounds both the lowering recursion and the
/// depth of the produced facts (so dropping them cannot overflow either).
pub(crate) const MAX_EXPR_DEPTH: u32 = 48;

/// Whose body statements and loops go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    Module,
    Func(FuncIdx),
    Class(ClassIdx),
}

impl Owner {
    pub fn container(self) -> Container {
        match self {
            Owner::Module => Container::Module,
            Owner::Func(i) => Container::Function(i),
            Owner::Class(i) => Container::Class(i),
        }
    }
}

/// Where lowering happens: the owner, the innermost enclosing loop of the
/// owner, and the current expression depth.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cx {
    pub owner: Owner,
    pub lp: Option<LoopIdx>,
    pub depth: u32,
}

impl Cx {
    pub fn new(owner: Owner, lp: Option<LoopIdx>) -> Self {
        Cx {
            owner,
            lp,
            depth: 0,
        }
    }

    pub fn with_loop(self, lp: Option<LoopIdx>) -> Self {
        Cx { lp, ..self }
    }
}

/// Nodes with at most this many children are iterated by index: for small
/// nodes `Node::child(i)` (O(i) but a plain array scan) is cheaper than tree
/// cursor steps; larger ones (blocks, long literals) use a cursor so the walk
/// stays linear.
const SMALL_NODE: u32 = 16;

/// The children of one node in order, comments skipped (recovered ERROR
/// nodes, which tree-sitter may also mark as extras, are kept).
pub(crate) struct Kids<'t> {
    node: Node<'t>,
    /// Next index in index mode.
    i: u32,
    count: u32,
    /// Cursor mode: the cursor, and whether it still points at a child.
    cursor: Option<TreeCursor<'t>>,
    more: bool,
}

impl<'t> Kids<'t> {
    pub fn next(&mut self) -> Option<Node<'t>> {
        loop {
            let node = match &mut self.cursor {
                Some(cursor) if self.more => {
                    let n = cursor.node();
                    self.more = cursor.goto_next_sibling();
                    n
                }
                Some(_) => return None,
                None if self.i < self.count => {
                    self.i += 1;
                    self.node.child(self.i - 1)?
                }
                None => return None,
            };
            if !(node.is_extra() && node.is_named() && !node.is_error()) {
                return Some(node);
            }
        }
    }
}

pub(crate) struct Lowerer<'t> {
    pub src: &'t [u8],
    /// The source as text when it is valid UTF-8 (nearly always): node
    /// text is then copied without a second validation.
    src_str: Option<&'t str>,
    pub k: &'t Kinds,
    pub pos: Positions<'t>,
    pub facts: FileFacts,
    /// Reused cursors: creating one allocates, and the walk needs one per level.
    pool: Vec<TreeCursor<'t>>,
}

impl<'t> Lowerer<'t> {
    pub fn new(src: &'t [u8], k: &'t Kinds) -> Self {
        Lowerer {
            src,
            src_str: std::str::from_utf8(src).ok(),
            k,
            pos: Positions::new(src),
            facts: FileFacts::default(),
            pool: Vec::new(),
        }
    }

    #[inline]
    pub fn kind(&self, node: Node<'_>) -> K {
        self.k.of(node)
    }

    pub fn span(&mut self, node: Node<'_>) -> Span {
        self.pos.span(node)
    }

    pub fn bytes(&self, node: Node<'_>) -> &'t [u8] {
        self.src
            .get(node.start_byte()..node.end_byte())
            .unwrap_or_default()
    }

    /// The source text of a byte range, lossy where it is not valid UTF-8
    /// (an empty text for a range outside the source). Tree-sitter's nodes
    /// start and end on character boundaries of valid text; `get` checks
    /// that anyway and falls back to the lossy copy.
    pub fn str_at(&self, from: usize, to: usize) -> std::borrow::Cow<'t, str> {
        match self.src_str.and_then(|s| s.get(from..to)) {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => String::from_utf8_lossy(self.src.get(from..to).unwrap_or_default()),
        }
    }

    pub fn text(&self, node: Node<'_>) -> String {
        self.str_at(node.start_byte(), node.end_byte()).into_owned()
    }

    pub fn kids(&mut self, node: Node<'t>) -> Kids<'t> {
        let count = node.child_count();
        if count <= SMALL_NODE {
            return Kids {
                node,
                i: 0,
                count,
                cursor: None,
                more: false,
            };
        }
        let mut cursor = match self.pool.pop() {
            Some(mut c) => {
                c.reset(node);
                c
            }
            None => node.walk(),
        };
        let more = cursor.goto_first_child();
        Kids {
            node,
            i: 0,
            count,
            cursor: Some(cursor),
            more,
        }
    }

    /// Returns a finished iterator's cursor to the pool.
    pub fn done(&mut self, kids: Kids<'t>) {
        if let Some(c) = kids.cursor {
            self.pool.push(c);
        }
    }

    /// An empty vector with room for one item per named child: facts are
    /// kept for the whole scan, and growing by doubling then shrinking copies
    /// each list up to three times.
    pub fn vec_for_named<T>(&self, node: Node<'t>) -> Vec<T> {
        Vec::with_capacity(node.named_child_count())
    }

    /// The child in field `field` (ids from [`crate::kinds::Fields`]).
    #[inline]
    pub fn child(&self, node: Node<'t>, field: u16) -> Option<Node<'t>> {
        node.child_by_field_id(field)
    }

    /// The first named child (comments skipped).
    pub fn first_named(&mut self, node: Node<'t>) -> Option<Node<'t>> {
        let mut kids = self.kids(node);
        let mut found = None;
        while let Some(child) = kids.next() {
            if child.is_named() {
                found = Some(child);
                break;
            }
        }
        self.done(kids);
        found
    }

    /// An empty `Other` standing for something not lowered (or a missing value).
    pub fn nothing(&self, span: Span) -> Expr {
        Expr::new(ExprKind::Other(Vec::new()), span)
    }

    /// Appends a statement to the owner's body.
    pub fn push_stmt(
        &mut self,
        owner: Owner,
        kind: StmtKind,
        span: Span,
        loop_idx: Option<LoopIdx>,
    ) {
        let stmt = Stmt {
            kind,
            span,
            loop_idx,
        };
        let facts = &mut self.facts;
        match owner {
            Owner::Module => facts.module_stmts.push(stmt),
            Owner::Func(i) => {
                if let Some(f) = facts.functions.get_mut(i as usize) {
                    f.body.push(stmt);
                }
            }
            Owner::Class(i) => {
                if let Some(c) = facts.classes.get_mut(i as usize) {
                    c.body.push(stmt);
                }
            }
        }
    }

    /// Adds a loop to the owner and returns its index. Classes have no
    /// `loops`: there the iterable becomes a plain expression statement so it
    /// is not lost, and the loop body stays at the enclosing loop context.
    pub fn push_loop(&mut self, cx: Cx, lp: Loop) -> Option<LoopIdx> {
        let loops = match cx.owner {
            Owner::Module => &mut self.facts.module_loops,
            Owner::Func(i) => match self.facts.functions.get_mut(i as usize) {
                Some(f) => &mut f.loops,
                None => return None,
            },
            Owner::Class(_) => {
                if let Some(iter) = lp.iter {
                    let span = iter.span;
                    self.push_stmt(cx.owner, StmtKind::Expr(iter), span, cx.lp);
                }
                return cx.lp;
            }
        };
        loops.push(lp);
        Some(index(loops.len() - 1))
    }
}

impl Lowerer<'_> {
    /// Sets the `iter` of a loop added earlier.
    pub fn set_loop_iter(&mut self, owner: Owner, idx: LoopIdx, iter: Expr) {
        let loops = match owner {
            Owner::Module => &mut self.facts.module_loops,
            Owner::Func(i) => match self.facts.functions.get_mut(i as usize) {
                Some(f) => &mut f.loops,
                None => return,
            },
            Owner::Class(_) => return,
        };
        if let Some(l) = loops.get_mut(idx as usize) {
            l.iter = Some(iter);
        }
    }
}

/// A vector index as the model's `u32` index types.
pub(crate) fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
