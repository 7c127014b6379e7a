//! Relationships: their targets (a class, a string naming one, a lambda, the
//! `Mapped[list["Order"]]` annotation), how they load (`lazy=`), and the
//! attributes `backref=` adds to their targets.

use super::super::models::{Lazy, ModelId, Relationship};
use super::body::{MappedTarget, annotation_target, mapped_target};
use super::{Builder, PendingRel};
use archlint_model::{Arg, ArgsExt, Expr, ExprKind, StmtKind, Symbol};

impl<'p> Builder<'_, 'p> {
    pub(super) fn pending_rel(
        &mut self,
        owner: ModelId,
        file: u32,
        attr: String,
        args: &'p [Arg],
        ann: Option<&'p Expr>,
    ) {
        let lazy = lazy_of(args);
        let first = args.iter().find(|a| a.name.is_none()).map(|a| &a.value);
        let (target, target_name) = match first.map(|f| (f, &f.kind)) {
            Some((_, ExprKind::Str(s))) => (None, Some(s.clone())),
            Some((_, ExprKind::Lambda { body, .. })) => {
                let ret = body.iter().find_map(|s| match &s.kind {
                    StmtKind::Return(e) | StmtKind::Expr(e) => Some(e),
                    _ => None,
                });
                (ret, None)
            }
            Some((f, _)) => (Some(f), None),
            // `Mapped[list["Order"]] = relationship(back_populates=...)`.
            None => match ann.and_then(|a| mapped_target(a).or_else(|| annotation_target(a))) {
                Some(MappedTarget::Name(n)) => (None, Some(n)),
                Some(MappedTarget::Expr(e)) => (Some(e), None),
                None => (None, None),
            },
        };
        let backref = args.keyword("backref").and_then(|b| match &b.kind {
            ExprKind::Str(s) => Some((s.clone(), Lazy::Strategy("select".into()))),
            ExprKind::Call { func, args: bargs }
                if func
                    .last_name()
                    .is_some_and(|n| self.n.models.backrefs.matches(n)) =>
            {
                let name = bargs.positional(0)?.as_str()?.to_string();
                Some((name, lazy_of(bargs)))
            }
            _ => None,
        });
        self.pending_rels.push(PendingRel {
            owner,
            attr,
            file,
            target,
            target_name,
            lazy,
            backref,
        });
    }

    /// Resolves relationship targets now that every model is known, and adds
    /// backrefs to their targets.
    pub(super) fn resolve_relationships(&mut self) {
        let pending = std::mem::take(&mut self.pending_rels);
        let mut backrefs: Vec<(ModelId, String, Relationship)> = Vec::new();
        for p in &pending {
            let target = match (p.target, &p.target_name) {
                (Some(e), _) => self.reg.model_of(self.index, p.file, e),
                (None, Some(name)) => self.reg.model_named(name, p.file),
                _ => None,
            };
            if let Some(m) = self.reg.models.get_mut(p.owner) {
                m.relationships.insert(
                    p.attr.clone(),
                    Relationship {
                        target,
                        lazy: p.lazy.clone(),
                    },
                );
            }
            if let (Some(t), Some((name, lazy))) = (target, &p.backref) {
                backrefs.push((
                    t,
                    name.clone(),
                    Relationship {
                        target: Some(p.owner),
                        lazy: lazy.clone(),
                    },
                ));
            }
        }
        for (t, name, rel) in backrefs {
            if let Some(m) = self.reg.models.get_mut(t) {
                m.relationships.entry(name).or_insert(rel);
            }
        }
        // Subclasses copied their parents' relationships before these were
        // resolved: copy again, parents first (ids grow from parents to children).
        for id in 0..self.reg.models.len() {
            let parents = self.parent_ids(id);
            for p in parents {
                let Some(prels) = self.reg.model(p).map(|m| m.relationships.clone()) else {
                    continue;
                };
                if let Some(m) = self.reg.models.get_mut(id) {
                    for (k, v) in prels {
                        m.relationships.entry(k).or_insert(v);
                    }
                }
            }
        }
    }

    /// Mapped project classes among the direct bases of model `id`.
    pub(super) fn parent_ids(&self, id: ModelId) -> Vec<ModelId> {
        let Some(m) = self.reg.model(id) else {
            return Vec::new();
        };
        let Some(cls) = self.project().class(m.class) else {
            return Vec::new();
        };
        cls.bases
            .iter()
            .filter(|a| a.name.is_none())
            .filter_map(|a| match self.index.resolve_expr(m.class.file, &a.value) {
                Some(Symbol::Class(c)) => self.reg.by_class.get(&c).copied(),
                _ => None,
            })
            .filter(|&p| p != id)
            .collect()
    }
}

/// `lazy=` of a relationship: omitted is `select`; a literal is its strategy.
fn lazy_of(args: &[archlint_model::Arg]) -> Lazy {
    match args.keyword("lazy").map(|v| &v.kind) {
        None => Lazy::Strategy("select".into()),
        Some(ExprKind::Str(s)) => Lazy::Strategy(s.clone()),
        Some(ExprKind::Bool(true)) => Lazy::Strategy("select".into()),
        Some(ExprKind::Bool(false)) => Lazy::Strategy("joined".into()),
        Some(ExprKind::NoneLit) => Lazy::Strategy("noload".into()),
        Some(_) => Lazy::Unknown,
    }
}
