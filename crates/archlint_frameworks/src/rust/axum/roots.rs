//! Which evaluated routers are reported on their own: those no other
//! builder used, unless their use could not be followed.

use crate::routes::Cx;
use crate::rust::common::candidates::Candidate;
use crate::rust::common::eval::{Frame, Key};
use crate::rust::common::{Pending, Shared, Uses};
use archlint_model::visit::walk_stmts;
use archlint_model::{FuncRef, Symbol};
use std::collections::{BTreeMap, BTreeSet};

/// Routers whose use we could not follow. A function holding a builder we
/// could only partly evaluate (a router from a `Vec`, a fold, a field) may
/// combine, out of our sight, the routers it binds or gets from calls: those
/// are not reported on their own, since the layers applied to them there
/// are unknown. When the extractor cut a file short (a chain past its length
/// bound), complete router functions with no call left in sight may have
/// been used in the part that was cut: those are not reported either. Precision first: a
/// missed route beats a false alarm.
pub(super) struct Unsure {
    /// Per function, how many of its builders are incomplete.
    incomplete_in: BTreeMap<FuncRef, usize>,
    /// Router functions called from such functions.
    called_unsure: BTreeSet<FuncRef>,
    /// With a cut file: router functions called anywhere in sight.
    called_anywhere: Option<BTreeSet<FuncRef>>,
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
        let root_fns: BTreeSet<&str> = roots
            .iter()
            .filter_map(|&i| match cands.get(i)?.key {
                Key::Return(f) => Some(cx.index.project.func(f)?.name.as_str()),
                _ => None,
            })
            .collect();
        let cut = cands.iter().any(|c| {
            cx.index
                .project
                .file(c.file)
                .is_some_and(|f| f.facts.truncated)
        });
        let mut called_unsure = BTreeSet::new();
        let mut called_anywhere = cut.then(BTreeSet::new);
        if !root_fns.is_empty() {
            let project = cx.index.project;
            let scan: Vec<FuncRef> = if cut {
                project
                    .functions()
                    .filter(|(f, _)| sh.uses(cx, f.file, Uses::Axum))
                    .map(|(f, _)| f)
                    .collect()
            } else {
                incomplete_in.keys().copied().collect()
            };
            for g in scan {
                let Some(func) = project.func(g) else {
                    continue;
                };
                let frame = Frame::new(g.file, Some(g), vec![func.body.as_slice()], None);
                let unsure_here = incomplete_in.contains_key(&g);
                walk_stmts(&func.body, |e| {
                    if let Some((callee, _)) = e.as_call()
                        && callee.last_name().is_some_and(|n| root_fns.contains(n))
                        && let Some(Symbol::Func(f)) = frame.resolve(cx, sh, callee)
                    {
                        if unsure_here {
                            called_unsure.insert(f);
                        }
                        if let Some(set) = called_anywhere.as_mut() {
                            set.insert(f);
                        }
                    }
                });
            }
        }
        Unsure {
            incomplete_in,
            called_unsure,
            called_anywhere,
        }
    }

    pub(super) fn ambiguous(&self, c: &Candidate, own_incomplete: bool) -> bool {
        match c.key {
            Key::Stmt(..) => {
                let n = self.incomplete_in.get(&c.func).copied().unwrap_or(0);
                n > usize::from(own_incomplete)
            }
            // A builder that is itself cut short is the one that lost its
            // uses, not one whose use was lost.
            Key::Return(f) => {
                self.called_unsure.contains(&f)
                    || (!own_incomplete
                        && self
                            .called_anywhere
                            .as_ref()
                            .is_some_and(|s| !s.contains(&f)))
            }
            Key::Expr(..) => false,
        }
    }
}
