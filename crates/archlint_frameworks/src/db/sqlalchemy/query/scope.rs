//! What a query expression is read against: the project, the registry, the
//! vocabulary, and the function it sits in with its local assignments
//! (indexed once, so following `q = q.filter(...)` chains stays cheap).

use super::super::knowledge::SaNames;
use super::super::models::{ModelId, Registry};
use archlint_model::{Expr, ExprKind, FuncRef, Function, Pos, ProjectIndex, Span, StmtKind};
use std::collections::HashMap;

/// One function under analysis.
pub struct Scope<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub reg: &'a Registry<'p>,
    pub n: &'a SaNames,
    pub fref: FuncRef,
    pub func: &'p Function,
    /// Single-name assignments by name: (end of the statement, value, statement span).
    locals: HashMap<&'p str, Vec<(Pos, &'p Expr, Span)>>,
}

impl<'a, 'p> Scope<'a, 'p> {
    pub fn new(
        index: &'a ProjectIndex<'p>,
        reg: &'a Registry<'p>,
        n: &'a SaNames,
        fref: FuncRef,
        func: &'p Function,
    ) -> Self {
        let mut locals: HashMap<&'p str, Vec<(Pos, &'p Expr, Span)>> = HashMap::new();
        for s in &func.body {
            if let StmtKind::Assign {
                targets,
                value,
                augmented: false,
                ..
            } = &s.kind
                && let [t] = targets.as_slice()
                && let ExprKind::Name(name) = &t.kind
            {
                locals
                    .entry(name.as_str())
                    .or_default()
                    .push((s.span.end, value, s.span));
            }
        }
        for v in locals.values_mut() {
            v.sort_by_key(|(end, _, _)| *end);
        }
        Scope {
            index,
            reg,
            n,
            fref,
            func,
            locals,
        }
    }

    pub fn file(&self) -> u32 {
        self.fref.file
    }

    /// The value last assigned to local `name` by a statement that ends
    /// before `before` (so `q = q.filter(...)` reads the previous `q`).
    pub fn local(&self, name: &str, before: Pos) -> Option<(&'p Expr, Span)> {
        let list = self.locals.get(name)?;
        let i = list.partition_point(|(end, _, _)| *end <= before);
        let (_, v, s) = list.get(i.checked_sub(1)?)?;
        Some((v, *s))
    }

    /// Whether `name` is assigned anywhere in the function.
    pub fn is_local(&self, name: &str) -> bool {
        self.locals.contains_key(name)
    }

    /// Every statement assigning local `name`, in order.
    pub fn assignments(&self, name: &str) -> &[(Pos, &'p Expr, Span)] {
        self.locals.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The model a class expression refers to.
    pub fn model(&self, e: &Expr) -> Option<ModelId> {
        self.reg.model_of(self.index, self.file(), e)
    }
}
