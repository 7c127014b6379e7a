//! Flask-Limiter: `Limiter(...)` constructions, the applications they are
//! attached to (`Limiter(app=app)`, `Limiter(app, ...)` before 3.0,
//! `limiter.init_app(app)`), and the application-wide limits they impose
//! (`default_limits`/`application_limits`, or `RATELIMIT_DEFAULT` in the
//! configuration). A limiter without default limits limits nothing app-wide.

use super::model::{Kind, Model};
use super::scope::{Place, Scopes};
use crate::routes::{Cx, short};
use archlint_model::{ArgsExt, Evidence, Expr, ExprKind, Scope, Span};

/// A `Limiter(...)` construction.
pub(crate) struct Limiter<'p> {
    pub call: &'p Expr,
    pub at: Place,
    /// Whether it was built with non-empty `default_limits`/`application_limits`.
    pub defaults: bool,
    /// `flask_limiter` (or unknown) rather than `slowapi`.
    pub flask: bool,
}

/// `RATELIMIT_DEFAULT = "..."` or `app.config["RATELIMIT_DEFAULT"] = "..."`.
pub(crate) fn config_limit(
    cx: &Cx,
    file: u32,
    targets: &[Expr],
    value: &Expr,
    out: &mut Option<Evidence>,
) {
    if out.is_some()
        || is_empty_list(value)
        || matches!(&value.kind, ExprKind::Str(v) if v.is_empty())
    {
        return;
    }
    for t in targets {
        let key = match &t.kind {
            ExprKind::Name(n) => Some(n.as_str()),
            ExprKind::Subscript(_, idx) => idx.first().and_then(|k| k.as_str()),
            _ => None,
        };
        if matches!(key, Some("RATELIMIT_DEFAULT" | "RATELIMIT_APPLICATION")) {
            *out = Some(Evidence {
                scope: Scope::App,
                what: format!("{} = {}", short(t), short(value)),
                location: Some(cx.location(file, t.span)),
            });
        }
    }
}

pub(crate) fn is_empty_list(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::List(xs) | ExprKind::Tuple(xs) if xs.is_empty())
        || matches!(&e.kind, ExprKind::NoneLit)
}

/// Attaches limiters constructed with an application and turns every
/// attached Flask-Limiter limiter into application-wide evidence.
pub(crate) fn attach_limiters<'p>(cx: &Cx, s: &Scopes<'_, 'p>, m: &mut Model<'p>) {
    // `Limiter(app=app, ...)` / `Limiter(app, ...)` (Flask-Limiter before 3.0).
    let keys: Vec<(u32, Span)> = m.limiters.keys().copied().collect();
    for key in keys {
        let Some(l) = m.limiters.get(&key) else {
            continue;
        };
        let (at, call) = (l.at, l.call);
        let Some((_, args)) = call.as_call() else {
            continue;
        };
        let mut apps = Vec::new();
        for a in [args.keyword("app"), args.positional(0)]
            .into_iter()
            .flatten()
        {
            apps.extend(
                m.objs_of(s, at, a)
                    .into_iter()
                    .filter(|&o| m.objs[o].kind == Kind::App),
            );
        }
        for o in apps {
            m.objs[o].limiters.push(key);
        }
    }
    for o in 0..m.objs.len() {
        let mut attached = std::mem::take(&mut m.objs[o].limiters);
        attached.sort();
        attached.dedup();
        for key in &attached {
            let Some(l) = m.limiters.get(key) else {
                continue;
            };
            if !l.flask {
                continue;
            }
            if l.defaults {
                m.objs[o].limits.push(Evidence {
                    scope: Scope::App,
                    what: short(l.call),
                    location: Some(cx.location(l.at.file, l.call.span)),
                });
            } else if let Some(c) = &m.config_limit {
                m.objs[o].limits.push(c.clone());
            }
        }
    }
}
