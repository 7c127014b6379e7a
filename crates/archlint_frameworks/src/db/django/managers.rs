//! Custom managers and querysets of the project, read into the chains that
//! use them: a manager's `get_queryset` (`super().get_queryset().filter(
//! deleted_at__isnull=True)`) starts every query through it, and a method
//! whose body is one chain on `self` (`return self.filter(active=True)`)
//! adds that chain. Anything else leaves the shape unknown.

use super::chain::Step;
use super::eval::{Eval, Res};
use super::models::ModelId;
use super::scope::Scope;
use archlint_model::{ClassRef, ExprKind, FuncRef, StmtKind, Symbol};

/// Bound on custom managers' `get_queryset` followed through `super()`,
/// and on custom methods read into one another.
pub const MAX_MANAGERS: usize = 4;

impl Scope<'_, '_, '_> {
    /// What a custom manager's `get_queryset` adds (`super().get_queryset()
    /// .filter(deleted_at__isnull=True)`); a `get_queryset` we cannot read
    /// leaves the shape unknown.
    pub(super) fn manager_queryset(&self, ev: &mut Eval, model: ModelId, name: &str) {
        let models = self.cx.models;
        let Some(m) = models.list.get(model) else {
            return;
        };
        let decl = if name == "_default_manager" {
            m.managers.first()
        } else if name == "_base_manager" {
            None
        } else {
            m.managers.iter().find(|x| x.name == name)
        };
        ev.classes.extend(decl.and_then(|d| d.class));
        ev.classes.extend(decl.and_then(|d| d.queryset));
        let Some(class) = decl.and_then(|d| d.class) else {
            return;
        };
        let mut cur = crate::calls::method_in_hierarchy(self.cx.index, class, "get_queryset");
        for _ in 0..MAX_MANAGERS {
            let Some(f) = cur else { return };
            let Some(func) = self.cx.index.project.func(f) else {
                return;
            };
            let ret = func.body.iter().find_map(|s| match &s.kind {
                StmtKind::Return(v) => Some(v),
                _ => None,
            });
            let Some(ret) = ret else {
                ev.known = false;
                return;
            };
            // The calls on the base queryset, outermost first.
            let mut steps: Vec<Step> = Vec::new();
            let mut e = ret;
            let base = loop {
                match &e.kind {
                    ExprKind::Call { func: callee, args } => match &callee.kind {
                        ExprKind::Attr(recv, m) if m == "get_queryset" => {
                            break Some(recv.as_ref());
                        }
                        ExprKind::Attr(recv, m) => {
                            steps.push(Step::Call { name: m, args });
                            e = recv;
                        }
                        // `QuerySet(self.model, using=self._db)`, `RevisionQuerySet(...)`.
                        _ if callee.last_name().is_some_and(|n| n.ends_with("QuerySet")) => {
                            break None;
                        }
                        _ => {
                            ev.known = false;
                            return;
                        }
                    },
                    _ => {
                        ev.known = false;
                        return;
                    }
                }
                if steps.len() > 32 {
                    ev.known = false;
                    return;
                }
            };
            for step in steps.iter().rev() {
                self.step(ev, step);
            }
            // `super().get_queryset()`: the parent manager's, if the project has one.
            cur = match base {
                Some(recv) if recv.last_name() == Some("super") => {
                    let owner = match func.container {
                        archlint_model::Container::Class(c) => ClassRef {
                            file: f.file,
                            class: c,
                        },
                        _ => return,
                    };
                    self.parent_method(owner, "get_queryset")
                }
                Some(_) => {
                    ev.known = false;
                    return;
                }
                None => return,
            };
        }
        ev.known = false;
    }

    /// A project manager or queryset method the chain calls, read into it
    /// when its body is one chain on `self` (`return self.filter(active=True)`).
    pub(super) fn inline(&self, ev: &mut Eval, name: &str) -> bool {
        if ev.inlining >= MAX_MANAGERS || ev.res != Res::QuerySet {
            return false;
        }
        let Some(f) = ev
            .classes
            .iter()
            .find_map(|&c| self.queryset_method(c, name))
        else {
            return false;
        };
        let Some(func) = self.cx.index.project.func(f) else {
            return false;
        };
        let mut returns = func.body.iter().filter_map(|s| match &s.kind {
            StmtKind::Return(v) => Some(v),
            _ => None,
        });
        let (Some(ret), None) = (returns.next(), returns.next()) else {
            return false;
        };
        let mut steps: Vec<Step> = Vec::new();
        let mut e = ret;
        for _ in 0..32 {
            match &e.kind {
                ExprKind::Name(n) if n == "self" => break,
                ExprKind::Call { func: callee, args } => match &callee.kind {
                    // `self.get_queryset()`, `super().get_queryset()`: the base.
                    ExprKind::Attr(recv, m)
                        if m == "get_queryset"
                            && matches!(recv.last_name(), Some("self" | "super")) =>
                    {
                        break;
                    }
                    ExprKind::Attr(recv, m) => {
                        steps.push(Step::Call { name: m, args });
                        e = recv;
                    }
                    _ => return false,
                },
                ExprKind::Subscript(recv, idx) => {
                    steps.push(super::chain::slice(idx));
                    e = recv;
                }
                _ => return false,
            }
        }
        if !matches!(&e.kind, ExprKind::Name(n) if n == "self")
            && !matches!(&e.kind, ExprKind::Call { .. })
        {
            return false;
        }
        ev.inlining += 1;
        for step in steps.iter().rev() {
            self.step(ev, step);
        }
        ev.inlining -= 1;
        true
    }

    /// A method of a project manager or queryset class, also through a
    /// `Manager.from_queryset(Q)` base.
    fn queryset_method(&self, class: ClassRef, name: &str) -> Option<FuncRef> {
        let index = self.cx.index;
        if let Some(f) = crate::calls::method_in_hierarchy(index, class, name) {
            return Some(f);
        }
        let cls = index.project.class(class)?;
        cls.bases.iter().find_map(|b| {
            let (f, args) = b.value.as_call()?;
            if f.last_name() != Some("from_queryset") {
                return None;
            }
            match index.resolve_expr(class.file, &args.first()?.value)? {
                Symbol::Class(q) => crate::calls::method_in_hierarchy(index, q, name),
                _ => None,
            }
        })
    }

    /// A method of one of `class`'s project base classes (not its own).
    fn parent_method(&self, class: ClassRef, name: &str) -> Option<FuncRef> {
        let index = self.cx.index;
        let cls = index.project.class(class)?;
        cls.bases.iter().filter(|a| a.name.is_none()).find_map(|b| {
            match index.resolve_expr(class.file, &b.value)? {
                Symbol::Class(p) => crate::calls::method_in_hierarchy(index, p, name),
                _ => None,
            }
        })
    }
}
