//! Call chains, lowered iteratively: `f(x)` is `Call { func: f }`,
//! `recv.m::<T>(x)` is `Call { func: Attr(recv, "m") }` (turbofish dropped),
//! `a.b` is `Attr`, `x.await` is `Await`, `x?` is transparent.
//!
//! Router set-up is one long chain
//! (`Router::new().route(..).route(..).nest(..).layer(..)`), so the receiver
//! spine is walked with a loop, not recursion: up to [`MAX_CHAIN`] links are
//! kept whatever [`MAX_DEPTH`](crate::lower::MAX_DEPTH) says. Arguments are
//! lowered recursively; long chains charge their arguments a little depth so
//! that chains nested in arguments of chains stay bounded in total.

use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_CHAIN, Sink};
use archlint_model::{Arg, Expr, ExprKind};
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    pub(crate) fn chain(&mut self, node: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> Expr {
        let f = &self.t.f;
        // The postfix nodes of the receiver spine, outermost first (calls,
        // field expressions, awaits), in a pooled list.
        let mut links = self.node_list();
        let mut cur = Some(node);
        let mut base = None;
        while let Some(n) = cur {
            if links.len() >= MAX_CHAIN {
                base = Some(self.truncated(n));
                break;
            }
            cur = match self.kind(n) {
                Kind::CallExpression => {
                    links.push(n);
                    match self.field(n, f.function) {
                        Some(func) if self.kind(func) == Kind::GenericFunction => {
                            self.field(func, f.function)
                        }
                        other => other,
                    }
                }
                Kind::FieldExpression => {
                    links.push(n);
                    self.field(n, f.value)
                }
                Kind::AwaitExpression => {
                    links.push(n);
                    self.first_named(n)
                }
                Kind::TryExpression | Kind::ParenthesizedExpression => self.first_named(n),
                _ => {
                    base = Some(self.expr(n, sink, depth + 1));
                    break;
                }
            };
        }
        let extra = u32::try_from(links.len() / 16).unwrap_or(u32::MAX);
        let arg_depth = depth.saturating_add(1).saturating_add(extra);
        let mut e = match base {
            Some(b) => b,
            None => Expr::new(ExprKind::Other(Vec::new()), self.span(node)),
        };
        for &n in links.iter().rev() {
            e = match self.kind(n) {
                Kind::CallExpression => {
                    let args = match self.field(n, f.arguments) {
                        Some(a) => self.call_args(a, sink, arg_depth),
                        None => Vec::new(),
                    };
                    let kind = ExprKind::Call {
                        func: Box::new(e),
                        args,
                    };
                    Expr::new(kind, self.span(n))
                }
                Kind::FieldExpression => {
                    let name = self
                        .field(n, f.field)
                        .map(|x| self.text(x).to_owned())
                        .unwrap_or_default();
                    Expr::new(ExprKind::Attr(Box::new(e), name), self.span(n))
                }
                _ => Expr::new(ExprKind::Await(Box::new(e)), self.span(n)),
            };
        }
        self.give_back(links);
        e
    }

    /// Positional arguments of an `arguments` node.
    fn call_args(&mut self, args: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> Vec<Arg> {
        // Sized for every named child (comments and attributes are rare), so
        // the list is rarely grown or shrunk later.
        let mut out = Vec::with_capacity(args.named_child_count());
        self.each_named(args, |this, a| {
            if this.kind(a) != Kind::AttributeItem {
                let value = this.expr(a, sink, depth);
                out.push(Arg { name: None, value });
            }
        });
        out
    }
}
