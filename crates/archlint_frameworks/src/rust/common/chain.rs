//! Method-call chains taken apart: `Router::new().route(..).layer(..)` as
//! its base and its `.method(args)` links, iteratively (chains can be
//! hundreds of links long), and the callee name of a plain call.

use archlint_model::{Arg, Expr, ExprKind};

/// A method-call chain taken apart: the innermost receiver and each
/// `.method(args)` link from the inside out. `.await` and `?` are looked
/// through. Iterative: chains can be hundreds of links long.
pub struct Spine<'p> {
    pub base: &'p Expr,
    pub links: Vec<Link<'p>>,
}

/// One `.method(args)` link of a chain.
pub struct Link<'p> {
    pub method: &'p str,
    pub args: &'p [Arg],
    pub call: &'p Expr,
}

pub fn spine(e: &Expr) -> Spine<'_> {
    let mut links = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Attr(recv, m) => {
                    links.push(Link {
                        method: m,
                        args,
                        call: cur,
                    });
                    cur = recv;
                }
                _ => break,
            },
            ExprKind::Await(inner) => cur = inner,
            _ => break,
        }
    }
    links.reverse();
    Spine { base: cur, links }
}

/// The `.method(..)` names of a chain, outermost first, and then its base,
/// without allocating (candidate tests run on every expression).
pub struct Links<'e> {
    cur: &'e Expr,
}

impl<'e> Links<'e> {
    pub fn of(e: &'e Expr) -> Self {
        Links { cur: e }
    }

    /// The innermost receiver, once the iterator is exhausted.
    pub fn base(&self) -> &'e Expr {
        self.cur
    }
}

impl<'e> Iterator for Links<'e> {
    type Item = &'e str;

    fn next(&mut self) -> Option<&'e str> {
        loop {
            match &self.cur.kind {
                ExprKind::Await(inner) => self.cur = inner,
                ExprKind::Call { func, .. } => match &func.kind {
                    ExprKind::Attr(recv, m) => {
                        self.cur = recv;
                        return Some(m);
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }
}

/// The last segment of a call's callee (`web::scope("/x")` gives `scope`),
/// and the segment before it (`web`), when the callee is a name or path.
pub fn callee_name(e: &Expr) -> Option<(&str, Option<&str>)> {
    let (func, _) = e.as_call()?;
    match &func.kind {
        ExprKind::Name(n) => Some((n, None)),
        ExprKind::Path(segs) => {
            let (last, rest) = segs.split_last()?;
            Some((last, rest.last().map(String::as_str)))
        }
        _ => None,
    }
}
