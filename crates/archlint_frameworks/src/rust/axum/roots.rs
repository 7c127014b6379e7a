//! Which evaluated routers are reported on their own: those no other
//! builder used, unless their use could not be followed.

use crate::routes::Cx;
use crate::rust::common::candidates::Candidate;
use crate::rust::common::eval::{Frame, Key};
use crate::rust::common::{Pending, Shared};
use archlint_model::visit::walk_stmts;
use archlint_model::{FuncRef, Symbol};
use std::collections::{BTreeMap, BTreeSet};

/// Routers whose use we could not follow. A function holding a builder we
/// could only partly evaluate (a router from a `Vec`, a fold, a field) may
/// combine, out of our sight, the routers it binds or gets from calls: those
/// are not reported on their own, since the layers applied to them there
/// are unknown. Precision first: a missed route beats a false alarm.
pub(super) struct Unsure {
    /// Per function, how many of its builders are incomplete.
    incomplete_in: BTreeMap<FuncRef, usize>,
    /// Router functions called from such functions.
    called: BTreeSet<FuncRef>,
}

impl Unsure {
    pub(super) fn new(
        cx: &Cx,
        sh: &Shared,
        cands: &[Candidate],
        results: &[(Option<Vec<Pending>>, bool, bool)],
        roots: &[usize],
    ) -> Self {
        let mut incomplete_in: BTreeMap<FuncRef, usize> = BTreeMap::new();
        for (c, r) in cands.iter().zip(results) {
            if r.1 {
                *incomplete_in.entry(c.func).or_default() += 1;
            }
        }
        let mut called = BTreeSet::new();
        let root_fns: BTreeMap<&str, FuncRef> = roots
            .iter()
            .filter_map(|&i| match cands.get(i)?.key {
                Key::Return(f) => Some((cx.index.project.func(f)?.name.as_str(), f)),
                _ => None,
            })
            .collect();
        if !root_fns.is_empty() {
            for &g in incomplete_in.keys() {
                let Some(func) = cx.index.project.func(g) else {
                    continue;
                };
                let frame = Frame::new(g.file, Some(g), vec![func.body.as_slice()], None);
                walk_stmts(&func.body, |e| {
                    if let Some((callee, _)) = e.as_call()
                        && callee.last_name().is_some_and(|n| root_fns.contains_key(n))
                        && let Some(Symbol::Func(f)) = frame.resolve(cx, sh, callee)
                    {
                        called.insert(f);
                    }
                });
            }
        }
        Unsure {
            incomplete_in,
            called,
        }
    }

    pub(super) fn ambiguous(&self, c: &Candidate, own_incomplete: bool) -> bool {
        match c.key {
            Key::Stmt(..) => {
                let n = self.incomplete_in.get(&c.func).copied().unwrap_or(0);
                n > usize::from(own_incomplete)
            }
            Key::Return(f) => self.called.contains(&f),
            Key::Expr(..) => false,
        }
    }
}
