//! FastAPI and Starlette routes: `FastAPI`/`Starlette` applications and
//! `APIRouter`s (module level or built in factories, routers in their own
//! modules), `include_router` with prefixes and dependencies (nested
//! routers chain both), mounted sub-applications, route decorators,
//! `add_api_route`/`add_route`, Starlette `Route`/`Mount` lists and
//! `HTTPEndpoint` classes; with the evidence of authentication (dependencies
//! at every level, handler parameters, `@requires`, authenticating
//! middleware) and rate limits (slowapi, fastapi-limiter).

mod deps;
mod model;
mod routes;

use crate::python::flask::Enforce;
use crate::python::flask::scope::Scopes;
use crate::routes::{Cx, join_paths};
use archlint_model::{Evidence, Language, Route, Scope};
use deps::{DepEv, Deps};
use model::{Model, ObjId};
use routes::{Collector, RawRoute};

/// Adds the FastAPI and Starlette routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    // No wiring: the project imports neither Flask nor FastAPI/Starlette.
    let Some(wiring) = cx.py_wiring else {
        return;
    };
    let s = Scopes::new(cx.index, wiring);
    if !s.imports_any(&["fastapi", "starlette"]) {
        return;
    }
    let mut m = model::discover(&s);
    if m.objs.is_empty() {
        return;
    }
    let (uses, decos, states) = model::collect_uses(&s);
    model::bind_params(&s, &uses, &decos);
    let en = Enforce::new(&s, cx.names(Language::Python));
    let deps = Deps::new(cx, &s, &en);
    model::apply(cx, &s, &en, &deps, &mut m, &uses, &decos, &states);
    let c = Collector {
        cx,
        s: &s,
        en: &en,
        deps: &deps,
    };
    let mut raw = c.route_lists(&mut m);
    raw.extend(c.collect(&m, &uses, &decos));
    build(&m, raw, out);
}

/// Where an object's routes end up: the full prefix, the dependencies and
/// middleware in force, and the application at the top (if known).
#[derive(Clone, Debug, Default)]
struct Mount {
    prefix: String,
    /// Whether every prefix on the way was worked out.
    known: bool,
    deps: DepEv,
    mw: DepEv,
    root: Option<ObjId>,
}

const MAX_MOUNTS: usize = 32;

fn join(a: &DepEv, b: &DepEv) -> DepEv {
    let mut x = a.clone();
    x.extend(b.clone());
    x
}

fn mounts(
    m: &Model,
    o: ObjId,
    depth: u32,
    memo: &mut Vec<Option<Vec<Mount>>>,
    visiting: &mut Vec<ObjId>,
) -> Vec<Mount> {
    if let Some(Some(done)) = memo.get(o) {
        return done.clone();
    }
    let obj = &m.objs[o];
    let base = || {
        if obj.kind.is_app() {
            Mount {
                prefix: String::new(),
                known: true,
                deps: obj.deps.clone(),
                mw: obj.mw.clone(),
                root: Some(o),
            }
        } else {
            Mount {
                prefix: obj.own_prefix.clone(),
                known: true,
                deps: obj.deps.clone(),
                mw: obj.mw.clone(),
                root: None,
            }
        }
    };
    if obj.includes.is_empty() || depth > 16 || visiting.contains(&o) {
        return vec![base()];
    }
    visiting.push(o);
    let mut out = Vec::new();
    for inc in &obj.includes {
        if visiting.contains(&inc.parent) {
            continue;
        }
        for pm in mounts(m, inc.parent, depth + 1, memo, visiting) {
            if out.len() >= MAX_MOUNTS {
                break;
            }
            let prefix = join_paths(&join_paths(&pm.prefix, &inc.prefix), &obj.own_prefix);
            out.push(if inc.mount {
                // A mounted application: the parent's middleware wraps it, its dependencies do not.
                Mount {
                    prefix,
                    known: pm.known && inc.known,
                    deps: obj.deps.clone(),
                    mw: join(&pm.mw, &obj.mw),
                    root: pm.root,
                }
            } else {
                Mount {
                    prefix,
                    known: pm.known && inc.known,
                    deps: join(&join(&pm.deps, &inc.deps), &obj.deps),
                    mw: join(&pm.mw, &obj.mw),
                    root: pm.root,
                }
            });
        }
    }
    visiting.pop();
    // `if base: app.mount(base.value(), api) else: app.mount("/api", api)`:
    // an alternative whose prefix is unknown adds only noise.
    if out.iter().any(|m| m.known) {
        out.retain(|m| m.known);
    }
    if out.is_empty() {
        out.push(base());
    }
    if let Some(slot) = memo.get_mut(o) {
        *slot = Some(out.clone());
    }
    out
}

fn build(m: &Model, raw: Vec<RawRoute>, out: &mut Vec<Route>) {
    let mut memo = vec![None; m.objs.len()];
    let all: Vec<Vec<Mount>> = (0..m.objs.len())
        .map(|o| mounts(m, o, 0, &mut memo, &mut Vec::new()))
        .collect();
    let apps: Vec<ObjId> = (0..m.objs.len())
        .filter(|&o| m.objs[o].kind.is_app())
        .collect();
    // A router included nowhere we can see is most likely included in the
    // project's only application, in a way we cannot follow.
    let sole_app = if apps.len() == 1 {
        apps.first().copied()
    } else {
        None
    };
    for r in raw {
        for mount in &all[r.obj] {
            let mut ev = r.ev.clone();
            let mut extra = join(&mount.deps, &mount.mw);
            if mount.root.is_none()
                && let Some(a) = sole_app
            {
                extra.extend(join(&m.objs[a].deps, &m.objs[a].mw));
            }
            ev.auth.extend(extra.auth);
            ev.public.extend(extra.public);
            ev.rate.extend(extra.rate);
            if ev.exempt {
                ev.rate.retain(|e: &Evidence| e.scope != Scope::App);
            }
            for list in [&mut ev.auth, &mut ev.public, &mut ev.rate] {
                list.sort();
                list.dedup();
            }
            out.push(Route {
                framework: r.framework,
                methods: r.methods,
                path: join_paths(&mount.prefix, &r.path),
                handler: r.handler.clone(),
                registration: r.registration.clone(),
                group: r
                    .group
                    .clone()
                    .unwrap_or_else(|| m.objs[r.obj].group.clone()),
                auth: ev.auth,
                public: ev.public,
                rate_limit: ev.rate,
            });
        }
    }
}

#[cfg(test)]
mod tests;
