//! What the three Rust frameworks share: per-project indexes (which crates use
//! which framework, which project types authenticate), evaluation of builder
//! expressions through locals, parameters and function returns ([`eval`]),
//! evidence from layers, extractors and attributes ([`evidence`]), and route
//! attributes (`#[get("/p")]`, [`attrs`]).

pub mod attrs;
pub mod candidates;
pub mod chain;
pub mod dispatch;
pub mod eval;
pub mod evidence;
pub mod signals;
#[cfg(test)]
pub mod testutil;

use crate::calls::{NestedFns, nested_fns};
use crate::routes::Cx;
use archlint_model::{
    Container, Evidence, FuncRef, Handler, Language, Location, MethodSet, Route, Scope, Span,
};
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// A Rust framework crate a project crate may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uses {
    Axum = 1,
    Actix = 2,
    Rocket = 4,
}

/// Indexes every Rust framework module needs, built per framework run in
/// linear passes over the project: the framework crates each project crate
/// imports first, the rest only when the framework is used at all.
pub struct Shared<'p> {
    /// Functions nested in functions, per file (for handler names defined locally).
    pub nested: Vec<NestedFns<'p>>,
    /// Project types with a `FromRequest`/`FromRequestParts` impl that authenticate.
    auth_types: BTreeSet<&'p str>,
    /// Project types with such an impl that rate-limit (`RateLimitGuard`).
    rate_types: BTreeSet<&'p str>,
    /// Project middleware types (`impl Transform`/`impl Layer`) defined next
    /// to a `Service::call` that checks a credential and answers 401/403.
    auth_middleware: BTreeSet<&'p str>,
    /// Framework crates each project crate imports, as [`Uses`] bits.
    crate_uses: BTreeMap<&'p str, u8>,
    /// Resolved calls of the functions evidence has looked into: many routes
    /// share a handler or the helpers it calls, and resolution is the costly
    /// part of each look.
    calls: Mutex<HashMap<FuncRef, Arc<Vec<dispatch::CallSite>>>>,
}

impl<'p> Shared<'p> {
    /// The indexes for framework `u` (nearly empty when no crate uses it).
    pub fn new(cx: &Cx<'_, 'p>, u: Uses) -> Self {
        let project = cx.index.project;
        let mut sh = Shared {
            nested: Vec::new(),
            auth_types: BTreeSet::new(),
            rate_types: BTreeSet::new(),
            auth_middleware: BTreeSet::new(),
            crate_uses: BTreeMap::new(),
            calls: Mutex::default(),
        };
        for file in project
            .files
            .iter()
            .filter(|f| f.language == Language::Rust)
        {
            let bits = sh
                .crate_uses
                .entry(file.module.crate_name.as_str())
                .or_insert(0);
            *bits |= file_uses(&file.facts);
        }
        if !sh.any_uses(u) {
            return sh;
        }
        sh.nested = project
            .files
            .iter()
            .map(|f| {
                if f.language == Language::Rust {
                    nested_fns(&f.facts)
                } else {
                    NestedFns::default()
                }
            })
            .collect();
        for (fi, file) in project.files.iter().enumerate() {
            if file.language != Language::Rust {
                continue;
            }
            let mut middleware_here = Vec::new();
            let mut service_checks = false;
            for (ii, imp) in file.facts.impls.iter().enumerate() {
                let Some(tr) = imp.trait_name.as_deref() else {
                    continue;
                };
                let name = imp.self_ty.as_str();
                match tr.rsplit("::").next().unwrap_or(tr) {
                    "FromRequest" | "FromRequestParts" => {
                        if signals::rate_named(name) {
                            sh.rate_types.insert(name);
                        } else if signals::auth_named(name)
                            || impl_checks_auth(cx, fi as u32, ii as u32)
                        {
                            sh.auth_types.insert(name);
                        }
                    }
                    "Transform" | "Layer" => middleware_here.push(name),
                    "Service" => {
                        service_checks |= file.facts.functions.iter().any(|f| {
                            f.container == Container::Impl(ii as u32)
                                && f.name == "call"
                                && signals::mentions_credential(&f.body)
                        })
                    }
                    _ => {}
                }
            }
            // The rejection often lives in the error type's `status_code`, in the same file.
            if service_checks
                && !middleware_here.is_empty()
                && file
                    .facts
                    .functions
                    .iter()
                    .any(|f| signals::mentions_rejection(&f.body))
            {
                sh.auth_middleware.extend(middleware_here);
            }
        }
        sh
    }

    /// Whether the crate of `file` imports framework `u`.
    pub fn uses(&self, cx: &Cx, file: u32, u: Uses) -> bool {
        let Some(f) = cx.index.project.file(file) else {
            return false;
        };
        self.crate_uses
            .get(f.module.crate_name.as_str())
            .is_some_and(|b| b & u as u8 != 0)
    }

    /// The resolved calls of `f`'s body (see [`dispatch::call_sites`]),
    /// worked out once per function for all routes.
    pub fn calls_of(&self, cx: &Cx, f: FuncRef) -> Option<Arc<Vec<dispatch::CallSite>>> {
        // A poisoned map still holds only complete entries.
        let hit = self
            .calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&f)
            .cloned();
        if hit.is_some() {
            return hit;
        }
        // Worked out outside the lock; two workers may both do it, alike.
        let sites = Arc::new(dispatch::call_sites(cx, self, f)?);
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f, Arc::clone(&sites));
        Some(sites)
    }

    /// Whether any crate of the project uses framework `u`.
    pub fn any_uses(&self, u: Uses) -> bool {
        self.crate_uses.values().any(|b| b & u as u8 != 0)
    }

    pub fn is_auth_type(&self, name: &str) -> bool {
        self.auth_types.contains(name)
    }

    pub fn is_rate_type(&self, name: &str) -> bool {
        self.rate_types.contains(name)
    }

    pub fn is_auth_middleware(&self, name: &str) -> bool {
        self.auth_middleware.contains(name)
    }
}

/// Framework bits from a file's imports (`use axum::..`, `use actix_web::..`,
/// `use rocket::..`) and rocket's `#[launch]`.
fn file_uses(facts: &archlint_model::FileFacts) -> u8 {
    let mut bits = 0;
    for im in &facts.imports {
        let first = im
            .module
            .split("::")
            .find(|s| !s.is_empty())
            .unwrap_or(im.alias.as_str());
        bits |= crate_bit(first);
    }
    for f in &facts.functions {
        for d in &f.decorators {
            match d.dotted().as_deref() {
                Some("launch" | "rocket.launch" | "rocket.main") => bits |= Uses::Rocket as u8,
                Some("actix_web.main") => bits |= Uses::Actix as u8,
                _ => {}
            }
        }
    }
    bits
}

fn crate_bit(name: &str) -> u8 {
    match name {
        "axum" | "axum_extra" => Uses::Axum as u8,
        "actix_web" | "actix_web_httpauth" => Uses::Actix as u8,
        "rocket" => Uses::Rocket as u8,
        _ => 0,
    }
}

/// Whether an impl's `from_request(_parts)` rejects requests without
/// credentials (reads a credential and answers 401/403).
fn impl_checks_auth(cx: &Cx, file: u32, imp: u32) -> bool {
    let Some(f) = cx.index.project.file(file) else {
        return false;
    };
    f.facts.functions.iter().any(|func| {
        func.container == Container::Impl(imp)
            && func.name.starts_with("from_request")
            && signals::checks_auth(&func.body, signals::Strictness::Loose)
    })
}

/// The code behind a route as the builders find it: a project function, or
/// an inline closure (`get(|| async { "ok" })`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Func(FuncRef),
    /// A project function named with a turbofish (`route_post::<AddAdmin>`):
    /// the path expression's file and span, where the type arguments are.
    Generic {
        func: FuncRef,
        file: u32,
        span: Span,
    },
    Closure {
        file: u32,
        span: Span,
    },
}

/// A handler expression: a project function by name or path, or a closure.
pub fn target<'p>(
    ctx: &eval::Ctx<'_, '_, 'p>,
    h: &'p archlint_model::Expr,
    frame: &eval::Frame<'p, '_>,
) -> Option<Target> {
    match &h.kind {
        archlint_model::ExprKind::Lambda { .. } => Some(Target::Closure {
            file: frame.file,
            span: h.span,
        }),
        archlint_model::ExprKind::Name(_) | archlint_model::ExprKind::Path(_) => {
            match frame.resolve(ctx.cx, ctx.sh, h)? {
                archlint_model::Symbol::Func(f) => {
                    let facts = &ctx.cx.index.project.file(frame.file)?.facts;
                    if facts.type_args_at(h.span).is_empty() {
                        Some(Target::Func(f))
                    } else {
                        Some(Target::Generic {
                            func: f,
                            file: frame.file,
                            span: h.span,
                        })
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A route while its builder is evaluated: path relative to the builder
/// seen so far, evidence collected from enclosing layers and wraps.
#[derive(Clone, Debug)]
pub struct Pending {
    pub methods: MethodSet,
    pub path: String,
    pub target: Target,
    pub registration: Location,
    /// The group, once known (the innermost router/scope that names one).
    pub group: Option<String>,
    pub auth: Vec<Evidence>,
    pub rate_limit: Vec<Evidence>,
}

impl Pending {
    /// Layer evidence recorded as application-wide becomes router-wide when
    /// its router is nested into or merged with another one.
    pub fn demote_app(&mut self) {
        for e in self.auth.iter_mut().chain(self.rate_limit.iter_mut()) {
            if e.scope == Scope::App {
                e.scope = Scope::Router;
            }
        }
    }
}

/// Turns a finished pending route into a [`Route`], adding the handler's
/// own evidence (extractors, attributes, body checks).
/// [`finish`] for every pending route, in parallel (each looks for evidence
/// through the handler's calls, independently), in their order.
pub fn finish_all(
    cx: &Cx,
    sh: &Shared,
    framework: archlint_model::Framework,
    pending: Vec<Pending>,
) -> Vec<Route> {
    use rayon::prelude::*;
    pending
        .into_par_iter()
        .filter_map(|p| finish(cx, sh, framework, p, ""))
        .collect()
}

pub fn finish(
    cx: &Cx,
    sh: &Shared,
    framework: archlint_model::Framework,
    p: Pending,
    default_group: &str,
) -> Option<Route> {
    let (handler, mut auth, mut public, mut rate) = match p.target {
        Target::Func(f) => {
            let h: Handler = cx.handler(f)?;
            let ev = evidence::handler_evidence(cx, sh, f);
            (h, ev.auth, ev.public, ev.rate_limit)
        }
        Target::Generic { func, file, span } => {
            let mut h: Handler = cx.handler(func)?;
            let mut ev = evidence::handler_evidence(cx, sh, func);
            if let Some(d) = dispatch::dispatch(cx, sh, func, file, span) {
                h.name = d.name;
                evidence::add_dispatched(cx, sh, &d.funcs, &mut ev);
                h.funcs.extend(d.funcs);
                h.unseen_dispatch = d.unseen;
            }
            (h, ev.auth, ev.public, ev.rate_limit)
        }
        Target::Closure { file, span } => (
            Handler {
                name: "closure".into(),
                location: cx.location(file, span),
                funcs: Vec::new(),
                unseen_dispatch: None,
            },
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    auth.extend(p.auth);
    rate.extend(p.rate_limit);
    for v in [&mut auth, &mut public, &mut rate] {
        v.sort();
        v.dedup();
    }
    Some(Route {
        framework,
        methods: p.methods,
        path: p.path,
        handler,
        registration: Some(p.registration),
        group: p.group.unwrap_or_else(|| default_group.to_string()),
        auth,
        public,
        rate_limit: rate,
    })
}
