//! Flask-AppBuilder (Superset, Airflow 2's web UI): a class registered with
//! `appbuilder.add_view(...)`, `add_view_no_menu(...)` or `add_api(...)`
//! becomes a blueprint serving every method decorated
//! `@expose(url="/", methods=("GET",))`, its own or a project base
//! class's, under the class's `route_base`. That defaults to `/<class name>`
//! for views and `/api/<version>/<resource_name>` for APIs (`version` "v1",
//! `resource_name` the class name), lower-cased. FAB's `@protect()`,
//! `@has_access` and `@has_access_api` authenticate (framework knowledge);
//! the CRUD routes a `ModelRestApi` generates itself are not listed.

use super::classviews::{class_attr, class_chain};
use super::enforce::Enforce;
use super::join_prefix;
use super::model::{Model, Use};
use super::scope::{Place, Scopes, Val};
use super::views::{RawRoute, func_ev, methods_of};
use crate::routes::Cx;
use archlint_model::{ArgsExt, ClassRef, Container, Expr, FuncRef, Handler, MethodSet, Symbol};

/// The registration methods of an `AppBuilder`, and whether they take an API.
const REGISTRATIONS: &[(&str, bool)] = &[
    ("add_api", true),
    ("add_view", false),
    ("add_view_no_menu", false),
];

/// The routes of the views and APIs registered on an `AppBuilder`, mounted
/// on the project's application (FAB registers its blueprints there).
pub(crate) fn appbuilder_views<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &Model<'p>,
    uses: &[Use<'p>],
) -> Vec<RawRoute> {
    let apps = m.apps();
    let Some(&app) = apps.first() else {
        return Vec::new();
    };
    let mut seen: Vec<ClassRef> = Vec::new();
    let mut out = Vec::new();
    for u in uses.iter().filter(|u| u.applied.is_none()) {
        let Some(&(_, is_api)) = REGISTRATIONS.iter().find(|(name, _)| *name == u.method) else {
            continue;
        };
        let Some(arg) = u.args.positional(0).or_else(|| u.args.keyword("baseview")) else {
            continue;
        };
        // `add_view(MyView, "Name")` and `add_view(MyView(), "Name")`.
        let target = match arg.as_call() {
            Some((callee, _)) => callee,
            None => arg,
        };
        let classes: Vec<ClassRef> = s
            .values(u.at, target)
            .into_iter()
            .filter_map(|v| match v {
                Val::Sym(Symbol::Class(c)) => Some(c),
                _ => None,
            })
            .collect();
        let registration = Some(cx.location(u.at.file, u.call.span));
        for c in classes {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let group = format!("flask-appbuilder {}", class_name(s, c));
            for m in exposed(cx, s, c, is_api) {
                // The `@expose` decorators only record URLs; the others wrap the method.
                let ev = func_ev(cx, s, en, m.func, &m.expose_decorators, None);
                for (path, methods) in m.routes {
                    out.push(RawRoute {
                        obj: app,
                        path,
                        methods,
                        handler: m.handler.clone(),
                        registration: registration.clone(),
                        ev: ev.clone(),
                        group: Some(group.clone()),
                    });
                }
            }
        }
    }
    out
}

/// FAB's security manager builds a Flask-Limiter limiter on the application
/// itself, so the configuration's `RATELIMIT_DEFAULT` /
/// `RATELIMIT_APPLICATION` limit every route even with no `Limiter(...)` in
/// the project.
pub(crate) fn security_manager_limiter(m: &mut Model) {
    let Some(limit) = m.config_limit.clone() else {
        return;
    };
    for app in m.apps() {
        if !m.objs[app].limits.contains(&limit) {
            m.objs[app].limits.push(limit.clone());
        }
    }
}

fn class_name(s: &Scopes, c: ClassRef) -> String {
    s.index
        .project
        .class(c)
        .map(|k| k.name.clone())
        .unwrap_or_default()
}

/// Whether a decorator's callee is FAB's `expose` (also under an alias:
/// `from flask_appbuilder.api import expose as api_expose`).
fn is_expose(s: &Scopes, at: Place, callee: &Expr) -> bool {
    callee.last_name() == Some("expose")
        || matches!(s.callee(at, callee), Some(Symbol::External(p))
            if p.starts_with("flask_appbuilder.") && p.ends_with(".expose"))
}

/// The class's URL prefix.
fn route_base(s: &Scopes, chain: &[ClassRef], name: &str, is_api: bool) -> String {
    let text = |attr: &str| class_attr(s, chain, attr).and_then(|(at, v)| s.string(at, v));
    if let Some(base) = text("route_base") {
        return base;
    }
    if is_api {
        let version = text("version").unwrap_or_else(|| "v1".to_string());
        let resource = text("resource_name").unwrap_or_else(|| name.to_string());
        format!("/api/{version}/{}", resource.to_lowercase())
    } else {
        format!("/{}", name.to_lowercase())
    }
}

/// An `@expose`d method: the routes its decorators declare.
struct Exposed {
    func: FuncRef,
    handler: Handler,
    /// Indexes of its `@expose(...)` decorators.
    expose_decorators: Vec<usize>,
    /// Full path and methods, one per `@expose`.
    routes: Vec<(String, MethodSet)>,
}

/// Every `@expose`d method of the class and its project bases (nearest
/// definition of each name), with its full paths and methods.
fn exposed(cx: &Cx, s: &Scopes, c: ClassRef, is_api: bool) -> Vec<Exposed> {
    let Some(cls) = s.index.project.class(c) else {
        return Vec::new();
    };
    let chain = class_chain(s, c);
    let base = route_base(s, &chain, &cls.name, is_api);
    let mut names: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for &k in &chain {
        let Some(file) = s.index.project.file(k.file) else {
            continue;
        };
        for (i, func) in file.facts.functions.iter().enumerate() {
            if func.container != Container::Class(k.class) || names.contains(&func.name.as_str()) {
                continue;
            }
            names.push(&func.name);
            let f = FuncRef {
                file: k.file,
                func: i as u32,
            };
            let at = s.def_place(f);
            let mut expose_decorators = Vec::new();
            let mut routes = Vec::new();
            for (idx, d) in func.decorators.iter().enumerate() {
                let (callee, args) = match d.as_call() {
                    Some((callee, args)) => (callee, args),
                    None => (d, &[][..]),
                };
                if !is_expose(s, at, callee) {
                    continue;
                }
                expose_decorators.push(idx);
                let url = match args.positional(0).or_else(|| args.keyword("url")) {
                    Some(u) => match s.string(at, u) {
                        Some(u) => u,
                        None => continue,
                    },
                    None => "/".to_string(),
                };
                let methods = match args.positional(1).or_else(|| args.keyword("methods")) {
                    Some(list) => match methods_of(s, at, list) {
                        Some(m) => m,
                        None => continue,
                    },
                    None => MethodSet::GET,
                };
                routes.push((join_prefix(Some(&base), &url), methods));
            }
            if routes.is_empty() {
                continue;
            }
            out.push(Exposed {
                func: f,
                handler: Handler {
                    name: format!("{}.{}", cls.name, func.name),
                    location: cx.location(k.file, func.name_span),
                    funcs: vec![f],
                    unseen_dispatch: None,
                },
                expose_decorators,
                routes,
            });
        }
    }
    out
}
