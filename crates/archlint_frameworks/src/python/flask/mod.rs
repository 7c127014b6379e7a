//! Flask routes: applications (module level or built in an application
//! factory), blueprints with their `url_prefix` at creation and at
//! `register_blueprint` (nested blueprints chain their prefixes), route
//! decorators, `add_url_rule`, `MethodView`/`View` classes, Flask-AppBuilder
//! views and APIs; with the
//! evidence of authentication (decorators, class `decorators`, enforcing
//! `before_request` hooks), public markers and Flask-Limiter limits at the
//! route, class, blueprint and application levels.
//!
//! `scope` and `enforce` are shared with the FastAPI/Starlette module.

mod appbuilder;
mod classviews;
mod enforce;
mod limits;
mod model;
mod restful;
pub(crate) mod scope;
mod views;

pub(crate) use classviews::{ClassFlavor, class_chain, class_views};
pub(crate) use enforce::Enforce;
pub(crate) use views::{Ev, func_ev, methods_of};

use crate::routes::Cx;
use archlint_model::{Evidence, Framework, Language, Route, Scope};
use model::{Kind, Model, ObjId};
use scope::Scopes;
use views::RawRoute;

/// Adds the Flask routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    // No wiring: the project imports neither Flask nor FastAPI/Starlette.
    let Some(wiring) = cx.py_wiring else {
        return;
    };
    let s = Scopes::new(cx.index, wiring);
    if !s.imports_any(&["apiflask", "flask"]) {
        return;
    }
    let mut m = model::discover(cx, &s);
    if m.objs.is_empty() {
        return;
    }
    let (uses, decos, class_decos) = model::collect_uses(&s);
    model::bind_params(&s, &uses, &decos);
    let en = Enforce::new(&s, cx.names(Language::Python));
    model::apply_uses(cx, &s, &en, &mut m, &uses, &decos);
    let mut raw = views::collect(cx, &s, &en, &m, &uses, &decos);
    let fab = appbuilder::appbuilder_views(cx, &s, &en, &m, &uses);
    if !fab.is_empty() {
        appbuilder::security_manager_limiter(&mut m);
    }
    raw.extend(fab);
    raw.extend(restful::rest_resources(
        cx,
        &s,
        &en,
        &m,
        &uses,
        &class_decos,
    ));
    build(&m, raw, out);
}

/// Where an object's routes end up: the prefix in force and the objects
/// from the application down to it.
#[derive(Clone, Debug)]
struct Mount {
    prefix: Option<String>,
    chain: Vec<ObjId>,
}

/// Flask's prefix joining (`Blueprint.register` / `BlueprintSetupState`).
fn join_prefix(prefix: Option<&str>, rule: &str) -> String {
    match prefix {
        None => rule.to_string(),
        Some(p) if rule.is_empty() => p.to_string(),
        Some(p) => format!(
            "{}/{}",
            p.trim_end_matches('/'),
            rule.trim_start_matches('/')
        ),
    }
}

const MAX_MOUNTS: usize = 32;

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
    if obj.kind == Kind::App {
        return vec![Mount {
            prefix: None,
            chain: vec![o],
        }];
    }
    if obj.regs.is_empty() || depth > 16 || visiting.contains(&o) {
        return vec![Mount {
            prefix: obj.own_prefix.clone(),
            chain: vec![o],
        }];
    }
    visiting.push(o);
    let mut out: Vec<Mount> = Vec::new();
    for (parent, reg_prefix) in &obj.regs {
        let own = reg_prefix.clone().or_else(|| obj.own_prefix.clone());
        let Some(parent) = parent else {
            // Registered on something we cannot resolve: the prefix still holds.
            out.push(Mount {
                prefix: own,
                chain: vec![o],
            });
            continue;
        };
        if visiting.contains(parent) {
            continue;
        }
        for pm in mounts(m, *parent, depth + 1, memo, visiting) {
            if out.len() >= MAX_MOUNTS {
                break;
            }
            let prefix = match (&pm.prefix, &own) {
                (Some(a), Some(b)) => Some(format!(
                    "{}/{}",
                    a.trim_end_matches('/'),
                    b.trim_start_matches('/')
                )),
                (Some(a), None) => Some(a.clone()),
                (None, b) => b.clone(),
            };
            let mut chain = pm.chain.clone();
            chain.push(o);
            out.push(Mount { prefix, chain });
        }
    }
    visiting.pop();
    if out.is_empty() {
        out.push(Mount {
            prefix: obj.own_prefix.clone(),
            chain: vec![o],
        });
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
    let apps = m.apps();
    // A blueprint registered nowhere we can see is most likely registered on
    // the project's only application, in a way we cannot follow.
    let sole_app = if apps.len() == 1 {
        apps.first().copied()
    } else {
        None
    };
    let root_of = |mount: &Mount| -> Option<ObjId> {
        match mount.chain.first() {
            Some(&r) if m.objs[r].kind == Kind::App => Some(r),
            _ => sole_app,
        }
    };
    // Application-wide hooks of blueprints (`before_app_request`).
    let mut app_wide: Vec<Vec<Evidence>> = vec![Vec::new(); m.objs.len()];
    for (o, ms) in all.iter().enumerate() {
        if m.objs[o].app_auth.is_empty() {
            continue;
        }
        let mut roots: Vec<ObjId> = ms.iter().filter_map(root_of).collect();
        roots.sort_unstable();
        roots.dedup();
        for r in roots {
            app_wide[r].extend(m.objs[o].app_auth.iter().cloned());
        }
    }
    for r in raw {
        for mount in &all[r.obj] {
            let mut auth = r.ev.auth.clone();
            let public = r.ev.public.clone();
            let mut rate = r.ev.rate.clone();
            let mut chain = mount.chain.clone();
            if let Some(root) = root_of(mount) {
                if !chain.contains(&root) {
                    chain.insert(0, root);
                }
                auth.extend(app_wide[root].iter().cloned());
            }
            let mut exempt_app = false;
            for &o in &chain {
                auth.extend(m.objs[o].auth.iter().cloned());
                rate.extend(m.objs[o].limits.iter().cloned());
                exempt_app |= m.objs[o].exempt;
            }
            if r.ev.exempt {
                rate.retain(|e| !matches!(e.scope, Scope::App | Scope::Router));
            } else if exempt_app {
                rate.retain(|e| e.scope != Scope::App);
            }
            auth.sort();
            auth.dedup();
            rate.sort();
            rate.dedup();
            out.push(Route {
                framework: Framework::Flask,
                methods: r.methods,
                path: join_prefix(mount.prefix.as_deref(), &r.path),
                handler: r.handler.clone(),
                registration: r.registration.clone(),
                group: r
                    .group
                    .clone()
                    .unwrap_or_else(|| m.objs[r.obj].group.clone()),
                auth,
                public,
                rate_limit: rate,
            });
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;
