//! The call graph (petgraph): functions as nodes, resolved call sites as
//! edges, and per-function summaries computed over strongly connected
//! components so that recursion terminates.

use crate::facts::LoopIdx;
use crate::route::FuncRef;
use crate::span::Span;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap as HashMap;

/// Where a call happens in its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallSite {
    pub span: Span,
    /// Innermost loop of the caller enclosing the call.
    pub loop_idx: Option<LoopIdx>,
}

/// Functions and the calls between them that name resolution could prove.
#[derive(Debug, Default)]
pub struct CallGraph {
    pub graph: DiGraph<FuncRef, CallSite>,
    index: HashMap<FuncRef, NodeIndex>,
}

impl CallGraph {
    /// A graph with one node per function, added in the given order.
    pub fn with_functions(funcs: impl IntoIterator<Item = FuncRef>) -> Self {
        let mut g = CallGraph::default();
        for f in funcs {
            let n = g.graph.add_node(f);
            g.index.insert(f, n);
        }
        g
    }

    pub fn add_call(&mut self, from: FuncRef, to: FuncRef, site: CallSite) {
        if let (Some(&a), Some(&b)) = (self.index.get(&from), self.index.get(&to)) {
            self.graph.add_edge(a, b, site);
        }
    }

    /// Calls made by `f`, in the order they were added.
    pub fn callees(&self, f: FuncRef) -> Vec<(FuncRef, CallSite)> {
        let Some(&n) = self.index.get(&f) else {
            return Vec::new();
        };
        let mut out: Vec<(FuncRef, CallSite)> = self
            .graph
            .edges(n)
            .map(|e| (self.graph[e.target()], *e.weight()))
            .collect();
        // petgraph lists outgoing edges newest first.
        out.reverse();
        out
    }

    /// Computes a summary per function: its own `direct` summary joined with
    /// the summaries of everything it calls, transitively. Functions of one
    /// strongly connected component (mutual recursion) share one summary.
    /// `join(acc, callee_summary, callee, site)` folds a callee into `acc`.
    pub fn summarize<S: Clone>(
        &self,
        direct: impl Fn(FuncRef) -> S,
        join: impl Fn(&mut S, &S, FuncRef, &CallSite),
    ) -> HashMap<FuncRef, S> {
        let mut out: HashMap<FuncRef, S> =
            HashMap::with_capacity_and_hasher(self.graph.node_count(), Default::default());
        // Tarjan yields components callees-first (reverse topological order).
        for scc in tarjan_scc(&self.graph) {
            let mut members: Vec<NodeIndex> = scc;
            members.sort();
            let mut acc: Option<S> = None;
            for &m in &members {
                let f = self.graph[m];
                let d = direct(f);
                match &mut acc {
                    None => acc = Some(d),
                    Some(a) => join(
                        a,
                        &d,
                        f,
                        &CallSite {
                            span: Span::default(),
                            loop_idx: None,
                        },
                    ),
                }
            }
            let Some(mut acc) = acc else { continue };
            for &m in &members {
                let mut edges: Vec<_> = self.graph.edges(m).collect();
                edges.reverse();
                for e in edges {
                    let callee = self.graph[e.target()];
                    if let Some(s) = out.get(&callee) {
                        let s = s.clone();
                        join(&mut acc, &s, callee, e.weight());
                    }
                }
            }
            for &m in &members {
                out.insert(self.graph[m], acc.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(i: u32) -> FuncRef {
        FuncRef { file: 0, func: i }
    }

    #[test]
    fn summaries_flow_through_recursion() {
        // 0 -> 1 <-> 2 -> 3(direct effect)
        let mut g = CallGraph::with_functions((0..4).map(f));
        let site = CallSite {
            span: Span::default(),
            loop_idx: None,
        };
        g.add_call(f(0), f(1), site);
        g.add_call(f(1), f(2), site);
        g.add_call(f(2), f(1), site);
        g.add_call(f(2), f(3), site);
        let s = g.summarize(|x| x == f(3), |a, b, _, _| *a |= *b);
        assert!(s[&f(0)] && s[&f(1)] && s[&f(2)] && s[&f(3)]);
        let s = g.summarize(|x| x == f(0), |a, b, _, _| *a |= *b);
        assert!(s[&f(0)] && !s[&f(1)]);
    }
}
