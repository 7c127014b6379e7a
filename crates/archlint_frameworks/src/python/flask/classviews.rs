//! Class-based views: Flask `MethodView`/`View` (and Flask-RESTful
//! resources) and Starlette `HTTPEndpoint`. The HTTP methods a class serves
//! (its own and its project base classes' handlers, or a declared
//! `methods` list), the evidence of its `decorators` / `method_decorators`
//! (scope Class), and a split into one route per group of methods whose own
//! decorators differ, each located at its method.

use super::enforce::Enforce;
use super::scope::{Place, Scopes, last_assign};
use super::views::{Ev, decorator_ev, func_ev, methods_of};
use crate::routes::Cx;
use archlint_model::{ClassRef, Expr, ExprKind, FuncRef, Handler, MethodSet, Scope, Symbol};

/// Which class-view protocol to read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClassFlavor {
    /// Flask `MethodView` / `View`: `methods`, `decorators` class attributes.
    Flask,
    /// Starlette `HTTPEndpoint`: methods are the handlers it defines.
    Starlette,
}

const HTTP_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// The class and its project base classes, nearest first (bounded).
pub(crate) fn class_chain(s: &Scopes, c: ClassRef) -> Vec<ClassRef> {
    let mut out = Vec::new();
    let mut todo = vec![c];
    while let Some(c) = todo.pop() {
        if out.contains(&c) || out.len() >= 16 {
            continue;
        }
        out.push(c);
        let Some(cls) = s.index.project.class(c) else {
            continue;
        };
        let place = s.class_place(c.file, c.class);
        for b in cls.bases.iter().rev().filter(|b| b.name.is_none()) {
            if let Some(Symbol::Class(bc)) = s.callee(place, &b.value) {
                todo.push(bc);
            }
        }
    }
    out
}

/// Whether the class (or a project base) derives from an external class named `base`.
fn derives_from(s: &Scopes, chain: &[ClassRef], base: &str) -> bool {
    chain.iter().any(|&c| {
        let Some(cls) = s.index.project.class(c) else {
            return false;
        };
        cls.bases
            .iter()
            .any(|b| b.name.is_none() && b.value.last_name() == Some(base))
    })
}

/// A class attribute from the nearest class of the chain defining it.
pub(crate) fn class_attr<'p>(
    s: &Scopes<'_, 'p>,
    chain: &[ClassRef],
    attr: &str,
) -> Option<(Place, &'p Expr)> {
    chain.iter().find_map(|&c| {
        let cls = s.index.project.class(c)?;
        let v = last_assign(&cls.body, attr, None)?;
        Some((s.class_place(c.file, c.class), v))
    })
}

/// Routes of a class-based view: its HTTP methods, grouped so that methods
/// with different method-level evidence become separate routes.
pub(crate) fn class_views<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    c: ClassRef,
    flavor: ClassFlavor,
) -> Vec<(MethodSet, Handler, Ev)> {
    let Some(cls) = s.index.project.class(c) else {
        return Vec::new();
    };
    let chain = class_chain(s, c);
    let location = cx.location(c.file, cls.name_span);
    let mut per_method: Vec<(MethodSet, FuncRef)> = Vec::new();
    for m in HTTP_METHODS {
        if let Some(f) = chain.iter().find_map(|&k| s.index.method(k, m)) {
            per_method.push((MethodSet::parse(m).unwrap_or(MethodSet::GET), f));
        }
    }
    let mut class_ev = Ev::default();
    let mut declared: Option<MethodSet> = None;
    let mut method_ev: std::collections::BTreeMap<String, Ev> = std::collections::BTreeMap::new();
    if flavor == ClassFlavor::Flask {
        if let Some((at, list)) = class_attr(s, &chain, "decorators") {
            for (p, d) in s.elements(at, list) {
                class_ev.extend(decorator_ev(
                    cx,
                    s,
                    en,
                    p,
                    d,
                    Scope::Class,
                    "decorators = ",
                    true,
                ));
            }
        }
        // Flask-RESTful / restx `method_decorators`: a list for every method,
        // or a dict by method name.
        if let Some((at, md)) = class_attr(s, &chain, "method_decorators") {
            match &md.kind {
                ExprKind::Dict(kvs) => {
                    for (k, v) in kvs {
                        let Some(method) = k.as_str() else { continue };
                        let ev = method_ev.entry(method.to_ascii_lowercase()).or_default();
                        for (p, d) in s.elements(at, v) {
                            ev.extend(decorator_ev(
                                cx,
                                s,
                                en,
                                p,
                                d,
                                Scope::Class,
                                "method_decorators = ",
                                true,
                            ));
                        }
                    }
                }
                _ => {
                    for (p, d) in s.elements(at, md) {
                        class_ev.extend(decorator_ev(
                            cx,
                            s,
                            en,
                            p,
                            d,
                            Scope::Class,
                            "method_decorators = ",
                            true,
                        ));
                    }
                }
            }
        }
        declared = class_attr(s, &chain, "methods").and_then(|(at, v)| methods_of(s, at, v));
        let is_method_view = derives_from(s, &chain, "MethodView")
            || (!per_method.is_empty() && !derives_from(s, &chain, "View"));
        if !is_method_view {
            // A plain `View`: `dispatch_request` serves every declared method.
            let funcs: Vec<FuncRef> = chain
                .iter()
                .find_map(|&k| s.index.method(k, "dispatch_request"))
                .into_iter()
                .collect();
            let handler = Handler {
                name: cls.name.clone(),
                location,
                funcs,
                unseen_dispatch: None,
            };
            return vec![(declared.unwrap_or(MethodSet::GET), handler, class_ev)];
        }
    }
    if let Some(d) = declared {
        per_method.retain(|(m, _)| d.contains(*m));
    }
    // Group methods by their own evidence (usually one group).
    let mut groups: Vec<(MethodSet, Vec<FuncRef>, Ev)> = Vec::new();
    for (m, f) in per_method {
        let mut ev = func_ev(cx, s, en, f, &[], None);
        if let Some(extra) = m
            .names()
            .first()
            .and_then(|n| method_ev.get(&n.to_ascii_lowercase()))
        {
            ev.extend(extra.clone());
        }
        match groups.iter_mut().find(|(_, _, g)| g.key() == ev.key()) {
            Some(g) => {
                g.0 = g.0.union(m);
                g.1.push(f);
            }
            None => groups.push((m, vec![f], ev)),
        }
    }
    if groups.is_empty()
        && let Some(d) = declared
    {
        groups.push((d, Vec::new(), Ev::default()));
    }
    // Methods split by their own evidence are reported at their own `def`
    // (`Users.get`), so each finding points at the method that lacks it.
    let split = groups.len() > 1;
    groups
        .into_iter()
        .map(|(m, funcs, mut ev)| {
            ev.extend(class_ev.clone());
            let first = funcs
                .first()
                .and_then(|&f| s.func(f.file, f.func).map(|x| (f, x)));
            let handler = match first {
                Some((f, func)) if split => Handler {
                    name: format!("{}.{}", cls.name, func.name),
                    location: cx.location(f.file, func.name_span),
                    funcs,
                    unseen_dispatch: None,
                },
                _ => Handler {
                    name: cls.name.clone(),
                    location: location.clone(),
                    funcs,
                    unseen_dispatch: None,
                },
            };
            (m, handler, ev)
        })
        .collect()
}
