//! Flask-RESTful and flask-restx: `Api(app_or_blueprint, prefix=...,
//! decorators=[...])`, namespaces (`Namespace(...)`, `api.namespace(...)`,
//! `api.add_namespace(ns, path=...)`), resources registered with
//! `api.add_resource(Cls, "/a", "/b")` or `@ns.route("/a")` /
//! `@api.resource("/a")` on the class. Resource classes are read like
//! `MethodView`s (see `classviews`), `method_decorators` included.

use super::classviews::{ClassFlavor, class_views};
use super::enforce::Enforce;
use super::model::{Kind, Model, ObjId, Use};
use super::scope::{Place, Scopes, Val};
use super::views::{Ev, RawRoute, decorator_ev, path_strings};
use crate::routes::{Cx, short};
use archlint_model::{
    Arg, ArgsExt, ClassRef, Expr, ExprKind, Handler, Location, MethodSet, Scope, Symbol,
};

/// Flask-RESTful / flask-restx wiring from constructors: `Api(app_or_bp)`,
/// `api.namespace(...)`, and `decorators=[...]` of an API or namespace
/// (applied to every resource below it).
pub(crate) fn rest_objects<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &mut Model<'p>,
) {
    for o in 0..m.objs.len() {
        if !matches!(m.objs[o].kind, Kind::Api | Kind::Namespace) {
            continue;
        }
        let Some(&(at, call)) = m.ctors.get(o) else {
            continue;
        };
        let Some((_, args)) = call.as_call() else {
            continue;
        };
        if m.objs[o].kind == Kind::Api
            && let Some(app) = args.positional(0).or_else(|| args.keyword("app"))
        {
            for t in m.objs_of(s, at, app) {
                if matches!(m.objs[t].kind, Kind::App | Kind::Blueprint) {
                    m.objs[o].regs.push((Some(t), None));
                }
            }
        }
        if let Some(list) = args.keyword("decorators") {
            for (p, d) in s.elements(at, list) {
                let ev = decorator_ev(cx, s, en, p, d, Scope::Router, "decorators = ", true);
                m.objs[o].auth.extend(ev.auth);
                m.objs[o].limits.extend(ev.rate);
            }
        }
    }
    let calls = std::mem::take(&mut m.ns_calls);
    for &(n, at, recv) in &calls {
        for api in m.objs_of(s, at, recv) {
            if m.objs[api].kind == Kind::Api && api != n {
                m.objs[n].regs.push((Some(api), None));
            }
        }
    }
    m.ns_calls = calls;
}

/// `@ns.route("/users/<id>")` / `@api.resource("/x")` on a resource class.
pub(crate) struct ClassDeco<'p> {
    pub class: ClassRef,
    pub at: Place,
    pub recv: &'p Expr,
    pub args: &'p [Arg],
}

pub(crate) fn class_routes<'p>(s: &Scopes<'_, 'p>) -> Vec<ClassDeco<'p>> {
    let mut out = Vec::new();
    for (fi, f) in s.index.project.files.iter().enumerate() {
        for (ci, c) in f.facts.classes.iter().enumerate() {
            for d in &c.decorators {
                let Some((callee, args)) = d.as_call() else {
                    continue;
                };
                if let ExprKind::Attr(recv, m) = &callee.kind
                    && (m == "route" || m == "resource")
                {
                    let class = ClassRef {
                        file: fi as u32,
                        class: ci as u32,
                    };
                    out.push(ClassDeco {
                        class,
                        at: s.class_place(class.file, class.class),
                        recv,
                        args,
                    });
                }
            }
        }
    }
    out
}

/// Flask-RESTful / flask-restx resources: `api.add_resource(Cls, "/a", "/b")`
/// and `@ns.route("/a")` / `@api.resource("/a")` on resource classes.
pub(crate) fn rest_resources<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &Model<'p>,
    uses: &[Use<'p>],
    class_decos: &[ClassDeco<'p>],
) -> Vec<RawRoute> {
    let rest_objs = |at: Place, e: &'p Expr| -> Vec<ObjId> {
        m.objs_of(s, at, e)
            .into_iter()
            .filter(|&o| matches!(m.objs[o].kind, Kind::Api | Kind::Namespace))
            .collect()
    };
    let mut out = Vec::new();
    let mut push = |objs: &[ObjId],
                    paths: &[String],
                    views: Vec<(MethodSet, Handler, Ev)>,
                    reg: Option<Location>| {
        for (methods, handler, ev) in views {
            for &obj in objs {
                for path in paths {
                    out.push(RawRoute {
                        obj,
                        path: path.clone(),
                        methods,
                        handler: handler.clone(),
                        registration: reg.clone(),
                        ev: ev.clone(),
                        group: None,
                    });
                }
            }
        }
    };
    let urls = |at: Place, args: &'p [archlint_model::Arg], skip: usize| -> Vec<String> {
        args.iter()
            .filter(|a| a.name.is_none())
            .skip(skip)
            .flat_map(|a| path_strings(s, at, &a.value, |e| format!("<{}>", short(e))))
            .collect()
    };
    let class_of = |at: Place, e: &'p Expr| -> Vec<ClassRef> {
        s.values(at, e)
            .into_iter()
            .filter_map(|v| match v {
                Val::Sym(Symbol::Class(c)) => Some(c),
                _ => None,
            })
            .collect()
    };
    for u in uses
        .iter()
        .filter(|u| u.method == "add_resource" && u.applied.is_none())
    {
        let objs = rest_objs(u.at, u.recv);
        let Some(cls) = u.args.positional(0).or_else(|| u.args.keyword("resource")) else {
            continue;
        };
        if objs.is_empty() {
            continue;
        }
        let paths = urls(u.at, u.args, 1);
        let reg = Some(cx.location(u.at.file, u.call.span));
        for c in class_of(u.at, cls) {
            push(
                &objs,
                &paths,
                class_views(cx, s, en, c, ClassFlavor::Flask),
                reg.clone(),
            );
        }
    }
    for d in class_decos {
        let objs = rest_objs(d.at, d.recv);
        if objs.is_empty() {
            continue;
        }
        let paths = urls(d.at, d.args, 0);
        push(
            &objs,
            &paths,
            class_views(cx, s, en, d.class, ClassFlavor::Flask),
            None,
        );
    }
    out
}
