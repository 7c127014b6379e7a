//! FastAPI and Starlette route declarations: decorators (`@router.get`,
//! `@app.api_route`, Starlette's `@app.route`), `add_api_route`/`add_route`
//! calls, and Starlette `routes=[Route(...), Mount(...)]` lists (a `Mount`
//! of another application becomes an inclusion of that application). Each
//! carries the evidence found on the route itself: decorators, route
//! `dependencies=[...]` and handler parameters.

use super::deps::{DepEv, Deps};
use super::model::{Deco, Include, Kind, Model, ObjId, ROUTE_METHODS, Use, prefix_string};
use crate::python::flask::scope::{Place, Scopes, Val};
use crate::python::flask::{ClassFlavor, Enforce, Ev, class_views, func_ev, methods_of};
use crate::routes::{Cx, join_paths};
use archlint_model::{ArgsExt, Expr, Framework, FuncRef, Handler, Location, MethodSet, Symbol};

/// A route before its object's prefixes and evidence are applied.
pub(crate) struct RawRoute {
    pub obj: ObjId,
    pub framework: Framework,
    /// Path inside the object (below its own prefix).
    pub path: String,
    pub methods: MethodSet,
    pub handler: Handler,
    pub registration: Option<Location>,
    /// Group override for routes of an inline `Mount(routes=[...])`.
    pub group: Option<String>,
    pub ev: Ev,
}

fn framework_of(kind: Kind) -> Framework {
    match kind {
        Kind::App | Kind::Router => Framework::Fastapi,
        Kind::Starlette | Kind::StarRouter => Framework::Starlette,
    }
}

fn with_deps(mut ev: Ev, d: DepEv) -> Ev {
    ev.auth.extend(d.auth);
    ev.rate.extend(d.rate);
    ev.public.extend(d.public);
    ev
}

pub(crate) struct Collector<'a, 'b, 'p> {
    pub cx: &'b Cx<'a, 'p>,
    pub s: &'b Scopes<'a, 'p>,
    pub en: &'b Enforce<'a, 'b, 'p>,
    pub deps: &'b Deps<'a, 'b, 'p>,
}

impl<'a, 'b, 'p> Collector<'a, 'b, 'p> {
    /// Evidence of a function endpoint: decorators, parameters, and a route's `dependencies`.
    fn func_endpoint(
        &self,
        f: FuncRef,
        skip: &[usize],
        route_idx: Option<usize>,
        at: Place,
        dep_list: Option<&'p Expr>,
    ) -> Ev {
        let mut ev = func_ev(self.cx, self.s, self.en, f, skip, route_idx);
        ev = with_deps(ev, self.deps.params(f));
        if let Some(l) = dep_list {
            ev = with_deps(ev, self.deps.list(at, l, archlint_model::Scope::Route));
        }
        ev
    }

    /// Handlers an endpoint expression denotes: functions, or HTTPEndpoint classes split by method.
    fn endpoints(
        &self,
        at: Place,
        e: &'p Expr,
        dep_list: Option<&'p Expr>,
    ) -> Vec<(Option<MethodSet>, Handler, Ev)> {
        let mut out = Vec::new();
        for v in self.s.values(at, e) {
            match v {
                Val::Sym(Symbol::Func(f)) => {
                    if let Some(h) = self.cx.handler(f) {
                        out.push((None, h, self.func_endpoint(f, &[], None, at, dep_list)));
                    }
                }
                Val::Sym(Symbol::Class(c)) => {
                    for (m, h, mut ev) in
                        class_views(self.cx, self.s, self.en, c, ClassFlavor::Starlette)
                    {
                        for f in &h.funcs {
                            ev = with_deps(ev, self.deps.params(*f));
                        }
                        out.push((Some(m), h, ev));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Routes of decorators and registration calls.
    pub fn collect(&self, m: &Model<'p>, uses: &[Use<'p>], decos: &[Deco<'p>]) -> Vec<RawRoute> {
        let (cx, s) = (self.cx, self.s);
        let mut out = Vec::new();
        let routes: Vec<(&Deco, Vec<ObjId>)> = decos
            .iter()
            .filter(|d| ROUTE_METHODS.contains(&d.method))
            .map(|d| (d, m.objs_of(s, d.at, d.recv)))
            .filter(|(_, o)| !o.is_empty())
            .collect();
        for (d, objs) in &routes {
            let skip: Vec<usize> = routes
                .iter()
                .filter(|(o, _)| o.func == d.func)
                .map(|(o, _)| o.idx)
                .collect();
            let Some(p) = d.args.positional(0).or_else(|| d.args.keyword("path")) else {
                continue;
            };
            let path = prefix_string(s, d.at, p);
            let methods = match d.method {
                "route" | "api_route" => d
                    .args
                    .keyword("methods")
                    .map(|x| methods_of(s, d.at, x).unwrap_or(MethodSet::ANY))
                    .unwrap_or(MethodSet::GET),
                other => MethodSet::parse(other).unwrap_or(MethodSet::GET),
            };
            let Some(handler) = cx.handler(d.func) else {
                continue;
            };
            let ev = self.func_endpoint(
                d.func,
                &skip,
                Some(d.idx),
                d.at,
                d.args.keyword("dependencies"),
            );
            for &obj in objs {
                out.push(RawRoute {
                    obj,
                    framework: framework_of(m.objs[obj].kind),
                    path: path.clone(),
                    methods,
                    handler: handler.clone(),
                    registration: None,
                    group: None,
                    ev: ev.clone(),
                });
            }
        }
        for u in uses
            .iter()
            .filter(|u| u.method == "add_api_route" || u.method == "add_route")
        {
            let objs = m.objs_of(s, u.at, u.recv);
            if objs.is_empty() {
                continue;
            }
            let Some(p) = u.args.positional(0).or_else(|| u.args.keyword("path")) else {
                continue;
            };
            let endpoint = u
                .args
                .positional(1)
                .or_else(|| u.args.keyword("endpoint"))
                .or_else(|| u.args.keyword("route"));
            let Some(endpoint) = endpoint else { continue };
            let path = prefix_string(s, u.at, p);
            let explicit = u
                .args
                .keyword("methods")
                .map(|x| methods_of(s, u.at, x).unwrap_or(MethodSet::ANY));
            let registration = Some(cx.location(u.at.file, u.call.span));
            for (cls_methods, handler, ev) in
                self.endpoints(u.at, endpoint, u.args.keyword("dependencies"))
            {
                let methods = cls_methods.or(explicit).unwrap_or(MethodSet::GET);
                for &obj in &objs {
                    out.push(RawRoute {
                        obj,
                        framework: framework_of(m.objs[obj].kind),
                        path: path.clone(),
                        methods,
                        handler: handler.clone(),
                        registration: registration.clone(),
                        group: None,
                        ev: ev.clone(),
                    });
                }
            }
        }
        out
    }

    /// Routes of `routes=[...]` constructor arguments; `Mount(app=...)`
    /// entries are recorded as inclusions in `m`.
    pub fn route_lists(&self, m: &mut Model<'p>) -> Vec<RawRoute> {
        let mut out = Vec::new();
        for o in 0..m.objs.len() {
            let (at, call) = m.ctor[o];
            let Some((_, args)) = call.as_call() else {
                continue;
            };
            let list = match m.objs[o].kind {
                Kind::StarRouter => args.keyword("routes").or_else(|| args.positional(0)),
                _ => args.keyword("routes"),
            };
            if let Some(list) = list {
                self.walk_list(m, o, at, list, String::new(), None, 0, &mut out);
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_list(
        &self,
        m: &mut Model<'p>,
        o: ObjId,
        at: Place,
        list: &'p Expr,
        prefix: String,
        group: Option<String>,
        depth: u32,
        out: &mut Vec<RawRoute>,
    ) {
        if depth > 8 {
            return;
        }
        for (p, item) in self.s.elements(at, list) {
            let Some((callee, args)) = item.as_call() else {
                continue;
            };
            let path_arg = args.positional(0).or_else(|| args.keyword("path"));
            let path = path_arg
                .map(|x| prefix_string(self.s, p, x))
                .unwrap_or_default();
            match callee.last_name() {
                Some("Route" | "APIRoute") => {
                    let Some(endpoint) = args.positional(1).or_else(|| args.keyword("endpoint"))
                    else {
                        continue;
                    };
                    let explicit = args
                        .keyword("methods")
                        .map(|x| methods_of(self.s, p, x).unwrap_or(MethodSet::ANY));
                    let registration = Some(self.cx.location(p.file, item.span));
                    for (cls_methods, handler, ev) in
                        self.endpoints(p, endpoint, args.keyword("dependencies"))
                    {
                        out.push(RawRoute {
                            obj: o,
                            // `APIRoute` entries are FastAPI routes; `Route` ones Starlette's.
                            framework: if callee.last_name() == Some("APIRoute") {
                                Framework::Fastapi
                            } else {
                                Framework::Starlette
                            },
                            path: join_paths(&prefix, &path),
                            methods: cls_methods.or(explicit).unwrap_or(MethodSet::GET),
                            handler,
                            registration: registration.clone(),
                            group: group.clone(),
                            ev,
                        });
                    }
                }
                Some("Mount") => {
                    let full = join_paths(&prefix, &path);
                    if let Some(sub) = args.keyword("routes") {
                        let g = format!("{}:{}", m.objs[o].group, full);
                        self.walk_list(m, o, p, sub, full.clone(), Some(g), depth + 1, out);
                    }
                    if let Some(app) = args.keyword("app").or_else(|| args.positional(1)) {
                        for c in m.objs_of(self.s, p, app) {
                            if c != o {
                                m.objs[c].includes.push(Include {
                                    parent: o,
                                    prefix: full.clone(),
                                    known: path_arg.is_none_or(|x| self.s.string(p, x).is_some()),
                                    deps: DepEv::default(),
                                    mount: true,
                                });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
