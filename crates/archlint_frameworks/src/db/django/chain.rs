//! ORM chains as written: `Order.objects.filter(...).order_by(...)[:20]`,
//! `order.items.all()`, `qs.filter(...)` on a local queryset,
//! `get_object_or_404(Order, pk=pk)`. A chain is read from its outermost
//! call inwards down to its root (a model's manager, a related manager on a
//! model instance, or a local queryset) and kept in call order.

use super::knowledge::names;
use super::models::{ModelId, Reverse};
use super::scope::{Instance, Scope};
use archlint_model::{Arg, ArgsExt, Expr, ExprKind, Pos};

/// Bound on the links of one chain.
const MAX_LINKS: usize = 64;

/// One link of a chain, in call order.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Call {
        name: &'a str,
        args: &'a [Arg],
    },
    /// `[:n]`, `[a:b]`, `[a:]`, or an index `[i]` (one row).
    Slice {
        limit: bool,
        offset: bool,
        index: bool,
    },
    /// `get_object_or_404(M, ...)` (one row) / `get_list_or_404(M, ...)`:
    /// the arguments after the model.
    Shortcut {
        single: bool,
        args: &'a [Arg],
    },
}

/// A related manager: `order.items` (reverse) or `order.tags` (many-to-many).
#[derive(Clone, Debug)]
pub enum RelatedMgr {
    Reverse(Reverse),
    /// A many-to-many field of the owner: its index and target model.
    ManyToMany {
        field: usize,
        target: ModelId,
    },
}

/// Where a chain starts.
#[derive(Clone, Debug)]
pub enum Root<'a> {
    /// `Order.objects`, `Order._default_manager`, a custom manager.
    Manager { model: ModelId, manager: &'a str },
    /// A related manager on a model instance.
    Related {
        owner: Instance,
        mgr: RelatedMgr,
        /// The relation's name on the owner (`items`).
        name: &'a str,
    },
    /// A local variable holding a queryset.
    Local { name: &'a str, at: Pos },
}

/// A chain and the expressions it is made of.
#[derive(Clone, Debug)]
pub struct Chain<'a> {
    pub root: Root<'a>,
    /// `Order.objects`, `order.items`, `qs`, `get_object_or_404`.
    pub root_text: String,
    pub steps: Vec<Step<'a>>,
    /// The chain's expressions below the outermost one (its receivers).
    pub links: Vec<&'a Expr>,
}

impl Chain<'_> {
    /// `Order.objects.filter`: the root and the first call.
    pub fn api(&self) -> String {
        let first = self.steps.iter().find_map(|s| match s {
            Step::Call { name, .. } => Some(*name),
            _ => None,
        });
        match (&self.root, first) {
            (Root::Manager { .. }, _) if self.root_text.ends_with("_or_404") => {
                self.root_text.clone()
            }
            (_, Some(m)) => format!("{}.{m}", self.root_text),
            (_, None) => self.root_text.clone(),
        }
    }
}

/// `[:n]` and friends: the slice's bounds from the lowered subscript.
pub fn slice(idx: &[Expr]) -> Step<'static> {
    let (limit, offset, index) = match idx {
        // A slice lowers to `Other` holding its bounds; which bound a lone
        // child is follows from where it sits in the slice's span.
        [e] => match &e.kind {
            ExprKind::Other(parts) => match parts.as_slice() {
                [] => (false, false, false),
                [one] if one.span.start == e.span.start => (false, true, false),
                [_] => (true, false, false),
                _ => (true, true, false),
            },
            _ => (true, false, true),
        },
        _ => (true, false, true),
    };
    Step::Slice {
        limit,
        offset,
        index,
    }
}

impl<'a> Scope<'a, '_, '_> {
    /// The chain `e` is the outermost link of, if any. `at` is where the
    /// expression is evaluated (for locals).
    pub fn chain(&self, e: &'a Expr, at: Pos) -> Option<Chain<'a>> {
        let n = names();
        let mut steps = Vec::new();
        let mut links = Vec::new();
        let mut cur = e;
        for _ in 0..MAX_LINKS {
            if !std::ptr::eq(cur, e) {
                links.push(cur);
            }
            match &cur.kind {
                ExprKind::Call { func, args } => match &func.kind {
                    ExprKind::Attr(recv, m) => {
                        steps.push(Step::Call { name: m, args });
                        cur = recv;
                    }
                    ExprKind::Name(f) => {
                        let single = n.qs.get_shortcuts.matches(f);
                        if !single && !n.qs.list_shortcuts.matches(f) {
                            return None;
                        }
                        return self.shortcut(f, single, args, steps, links, at);
                    }
                    _ => return None,
                },
                ExprKind::Subscript(recv, idx) => {
                    steps.push(slice(idx));
                    cur = recv;
                }
                ExprKind::Attr(recv, a) => {
                    if steps.is_empty() {
                        return None;
                    }
                    steps.reverse();
                    if n.qs.managers.matches(a) || self.is_custom_manager(recv, a) {
                        let model = self.model_class(recv)?;
                        return Some(Chain {
                            root: Root::Manager { model, manager: a },
                            root_text: format!("{}.{a}", crate::routes::short(recv)),
                            steps,
                            links,
                        });
                    }
                    let owner = self.instance(recv, at)?;
                    let mgr = self.related_manager(owner.model, a)?;
                    return Some(Chain {
                        root: Root::Related {
                            owner,
                            mgr,
                            name: a,
                        },
                        root_text: crate::routes::short(cur),
                        steps,
                        links,
                    });
                }
                ExprKind::Name(name) => {
                    if steps.is_empty() || !self.is_local_queryset(name, at) {
                        return None;
                    }
                    steps.reverse();
                    return Some(Chain {
                        root: Root::Local { name, at },
                        root_text: name.clone(),
                        steps,
                        links,
                    });
                }
                _ => return None,
            }
        }
        None
    }

    fn shortcut(
        &self,
        f: &'a str,
        single: bool,
        args: &'a [Arg],
        mut steps: Vec<Step<'a>>,
        links: Vec<&'a Expr>,
        at: Pos,
    ) -> Option<Chain<'a>> {
        let first = args.positional(0)?;
        steps.push(Step::Shortcut { single, args });
        steps.reverse();
        if let Some(model) = self.model_class(first) {
            return Some(Chain {
                root: Root::Manager {
                    model,
                    manager: "objects",
                },
                root_text: f.to_string(),
                steps,
                links,
            });
        }
        // `get_object_or_404(Order.objects.filter(...), pk=pk)` or a local queryset.
        if let ExprKind::Name(name) = &first.kind
            && self.is_local_queryset(name, at)
        {
            return Some(Chain {
                root: Root::Local { name, at },
                root_text: f.to_string(),
                steps,
                links,
            });
        }
        let inner = self.chain(first, at)?;
        let mut links = links;
        links.push(first);
        links.extend(inner.links.iter().copied());
        let mut all = inner.steps;
        all.extend(steps);
        Some(Chain {
            root: inner.root,
            root_text: f.to_string(),
            steps: all,
            links,
        })
    }
}
