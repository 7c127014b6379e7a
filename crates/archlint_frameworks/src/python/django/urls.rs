//! URL configuration: the `urlpatterns` of every urls module (`path()`,
//! `re_path()`, `url()`, `include()`, `+=`, `.append`), DRF routers and their
//! `register()` calls, the root urls modules, and the walk from the roots that
//! joins `include()` prefixes into full paths.

use super::settings::Settings;
use crate::routes::{Cx, module_value};
use archlint_model::visit::walk_stmts;
use archlint_model::{ArgsExt, BinOp, Expr, ExprKind, Language, Span, StmtKind, StrPart, Symbol};
use std::collections::{BTreeMap, BTreeSet};

/// What URL parsing needs: the framework context and the settings (for
/// `settings.BASE_PATH`-style prefixes).
pub struct Ucx<'c, 'a, 'p> {
    pub cx: &'c Cx<'a, 'p>,
    pub settings: &'c Settings,
}

impl<'a, 'p> std::ops::Deref for Ucx<'_, 'a, 'p> {
    type Target = Cx<'a, 'p>;
    fn deref(&self) -> &Cx<'a, 'p> {
        self.cx
    }
}

/// A router: the module-level assignment that creates it (file, statement).
pub type RouterKey = (u32, u32);

/// Bound on `include()` nesting and on lists referring to lists.
const MAX_DEPTH: u32 = 16;
/// Bound on the entries one walk visits (includes can fan out).
const MAX_VISITS: u32 = 200_000;

/// What an `include()` (or a list given as a view) brings in.
#[derive(Clone, Copy, Debug)]
pub enum Include<'p> {
    /// Another urls module's `urlpatterns`.
    Module(u32),
    /// An inline list (`include([...])`), written in `file`.
    List { file: u32, expr: &'p Expr },
    /// A module-level list by name (`include(extra_patterns)`), defined in `file`.
    Named { file: u32, name: &'p str },
    /// `router.urls`.
    Router(RouterKey),
}

/// What a URL pattern leads to.
#[derive(Clone, Copy, Debug)]
pub enum Target<'p> {
    View(&'p Expr),
    Include(Include<'p>),
}

/// One URL pattern of a list.
#[derive(Clone, Debug)]
pub struct Entry<'p> {
    /// The file the pattern is written in.
    pub file: u32,
    pub pattern: String,
    /// `re_path()` / `url()`: a regex whose `^` and `$` go at joins.
    pub regex: bool,
    pub target: Target<'p>,
    /// The `path()` call (or the `router.urls` expression).
    pub span: Span,
    /// Decorators applied to everything the entry leads to
    /// (`decorator_include(login_required, ...)`, `decorate_urlpatterns(...)`), with their file.
    pub wraps: Vec<(u32, &'p Expr)>,
}

/// A `router.register(prefix, viewset)` call.
#[derive(Clone, Debug)]
pub struct Registration<'p> {
    pub file: u32,
    pub span: Span,
    pub prefix: String,
    pub viewset: &'p Expr,
}

/// A DRF router.
#[derive(Clone, Debug, Default)]
pub struct Router<'p> {
    /// `/` unless created with `trailing_slash=False`.
    pub trailing: String,
    /// A nested router's place under its parent (`orders/{order_pk}/`).
    pub nested: String,
    pub registrations: Vec<Registration<'p>>,
}

/// A view reached from a root, with its full path.
#[derive(Clone, Debug)]
pub struct ViewEndpoint<'p> {
    pub file: u32,
    /// Full path with a leading `/`.
    pub path: String,
    pub view: &'p Expr,
    pub span: Span,
    /// Decorators applied to the view by the includes leading to it.
    pub wraps: Vec<(u32, &'p Expr)>,
}

/// A router's URLs included under a prefix.
#[derive(Clone, Debug)]
pub struct Mount<'p> {
    /// Decorators applied by the includes leading to the router.
    pub wraps: Vec<(u32, &'p Expr)>,
    /// The prefix, as joined so far (no leading `/`).
    pub prefix: String,
    pub router: RouterKey,
}

/// Everything the walk from the roots reaches.
#[derive(Default)]
pub struct Found<'p> {
    pub views: Vec<ViewEndpoint<'p>>,
    pub mounts: Vec<Mount<'p>>,
}

/// The urls modules and routers of a project.
#[derive(Default)]
pub struct UrlIndex<'p> {
    pub modules: BTreeMap<u32, Vec<Entry<'p>>>,
    pub routers: BTreeMap<RouterKey, Router<'p>>,
    /// Modules `include()`d from code the walk does not follow (a function
    /// returning patterns, a plugin hook): never roots, since their prefix and
    /// wrappers are unknown.
    pub included_elsewhere: BTreeSet<u32>,
}

impl<'p> UrlIndex<'p> {
    pub fn build(cx: &Ucx<'_, '_, 'p>) -> UrlIndex<'p> {
        let mut idx = UrlIndex::default();
        let project = cx.index.project;
        for (fi, file) in project.files.iter().enumerate() {
            if file.language != Language::Python {
                continue;
            }
            let fi = fi as u32;
            let stmts = &file.facts.module_stmts;
            if stmts.iter().any(|s| assigns(&s.kind, "urlpatterns")) {
                idx.modules.insert(fi, named_list(cx, fi, "urlpatterns", 0));
            }
            for s in stmts {
                idx.registration(cx, fi, &s.kind);
            }
            // Only files that import `include` can call it: skip the rest cheaply.
            let imports_include = file
                .facts
                .imports
                .iter()
                .any(|im| matches!(im.name.as_deref(), Some("include" | "decorator_include")));
            if imports_include {
                let bodies = file.facts.functions.iter().map(|f| f.body.as_slice());
                for body in bodies.chain(std::iter::once(stmts.as_slice())) {
                    walk_stmts(body, |e| {
                        if let Some(m) = included_module(cx, fi, e) {
                            idx.included_elsewhere.insert(m);
                        }
                    });
                }
            }
        }
        idx
    }

    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// Records `router.register(prefix, viewset, ...)`.
    fn registration(&mut self, cx: &Ucx<'_, '_, 'p>, file: u32, kind: &'p StmtKind) {
        let StmtKind::Expr(e) = kind else { return };
        let Some((func, args)) = e.as_call() else {
            return;
        };
        let ExprKind::Attr(recv, m) = &func.kind else {
            return;
        };
        if m != "register" {
            return;
        }
        let (Some(prefix), Some(viewset)) = (
            args.positional(0).or_else(|| args.keyword("prefix")),
            args.positional(1).or_else(|| args.keyword("viewset")),
        ) else {
            return;
        };
        let Some(key) = router_key(cx, file, recv) else {
            return;
        };
        let router = self
            .routers
            .entry(key)
            .or_insert_with(|| router_info(cx, key));
        router.registrations.push(Registration {
            file,
            span: e.span,
            prefix: pattern_text(cx, file, prefix),
            viewset,
        });
    }

    /// The root urls modules: those `ROOT_URLCONF` names, else every urls
    /// module no other one includes.
    fn roots(&self, cx: &Ucx<'_, '_, 'p>) -> Vec<u32> {
        let named: Vec<u32> = cx
            .settings
            .root_urlconfs
            .iter()
            .copied()
            .filter(|f| self.modules.contains_key(f))
            .collect();
        if !named.is_empty() {
            return named;
        }
        let mut included = self.included_elsewhere.clone();
        for (&m, entries) in &self.modules {
            let mut found = Vec::new();
            includes_of(cx, entries, 0, &mut found);
            included.extend(found.into_iter().filter(|&x| x != m));
        }
        self.modules
            .keys()
            .copied()
            .filter(|m| !included.contains(m))
            .collect()
    }

    /// Walks from every root, joining prefixes.
    pub fn walk(&self, cx: &Ucx<'_, '_, 'p>) -> Found<'p> {
        let mut found = Found::default();
        let mut budget = MAX_VISITS;
        for root in self.roots(cx) {
            let Some(entries) = self.modules.get(&root) else {
                continue;
            };
            let mut chain = vec![root];
            let at = Place {
                prefix: "",
                wraps: &[],
            };
            self.walk_entries(cx, entries, at, &mut chain, 0, &mut budget, &mut found);
        }
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_entries(
        &self,
        cx: &Ucx<'_, '_, 'p>,
        entries: &[Entry<'p>],
        at: Place<'_, 'p>,
        chain: &mut Vec<u32>,
        depth: u32,
        budget: &mut u32,
        found: &mut Found<'p>,
    ) {
        for e in entries {
            if *budget == 0 {
                return;
            }
            *budget -= 1;
            let full = join_pattern(at.prefix, &e.pattern, e.regex);
            let wraps: Vec<(u32, &'p Expr)> = at.wraps.iter().chain(&e.wraps).copied().collect();
            let below = Place {
                prefix: &full,
                wraps: &wraps,
            };
            match e.target {
                Target::View(view) => found.views.push(ViewEndpoint {
                    file: e.file,
                    path: display_path(&full),
                    view,
                    span: e.span,
                    wraps: wraps.clone(),
                }),
                Target::Include(inc) if depth < MAX_DEPTH => match inc {
                    Include::Module(m) => {
                        // Guard include cycles: a module already on the chain is skipped.
                        if chain.contains(&m) {
                            continue;
                        }
                        let Some(sub) = self.modules.get(&m) else {
                            continue;
                        };
                        chain.push(m);
                        self.walk_entries(cx, sub, below, chain, depth + 1, budget, found);
                        chain.pop();
                    }
                    Include::List { file, expr } => {
                        let sub = list_entries(cx, file, expr, &[], depth + 1);
                        self.walk_entries(cx, &sub, below, chain, depth + 1, budget, found);
                    }
                    Include::Named { file, name } => {
                        let sub = named_list(cx, file, name, depth + 1);
                        self.walk_entries(cx, &sub, below, chain, depth + 1, budget, found);
                    }
                    Include::Router(router) => found.mounts.push(Mount {
                        wraps: wraps.clone(),
                        prefix: full.clone(),
                        router,
                    }),
                },
                Target::Include(_) => {}
            }
        }
    }
}

/// Where a walk is: the prefix joined so far and the decorators applied so far.
#[derive(Clone, Copy)]
struct Place<'a, 'p> {
    prefix: &'a str,
    wraps: &'a [(u32, &'p Expr)],
}

/// The module an `include(...)` / `decorator_include(_, ...)` call names, if in the project.
fn included_module(cx: &Ucx, file: u32, e: &Expr) -> Option<u32> {
    let (func, args) = e.as_call()?;
    let arg = match func.last_name()? {
        "include" => args.positional(0)?,
        "decorator_include" => args.positional(1)?,
        _ => return None,
    };
    let arg = match &arg.kind {
        ExprKind::Tuple(xs) => xs.first()?,
        _ => arg,
    };
    match &arg.kind {
        ExprKind::Str(m) => cx.index.find_py_module(m, file),
        ExprKind::Name(_) | ExprKind::Attr(..) => match cx.index.resolve_expr(file, arg)? {
            Symbol::Module(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

/// Modules an entry list includes, looking into inline and named lists.
fn includes_of(cx: &Ucx, entries: &[Entry], depth: u32, out: &mut Vec<u32>) {
    for e in entries {
        match e.target {
            Target::Include(Include::Module(m)) => out.push(m),
            Target::Include(Include::List { file, expr }) if depth < MAX_DEPTH => includes_of(
                cx,
                &list_entries(cx, file, expr, &[], depth + 1),
                depth + 1,
                out,
            ),
            Target::Include(Include::Named { file, name }) if depth < MAX_DEPTH => {
                includes_of(cx, &named_list(cx, file, name, depth + 1), depth + 1, out)
            }
            _ => {}
        }
    }
}

fn assigns(kind: &StmtKind, name: &str) -> bool {
    match kind {
        StmtKind::Assign { targets, .. } => targets
            .iter()
            .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name)),
        _ => false,
    }
}

/// The entries of a module-level list built by assignments (`=`, `+=`) and
/// `.append` / `.extend` / `.insert` calls, in statement order.
pub fn named_list<'p>(cx: &Ucx<'_, '_, 'p>, file: u32, name: &str, depth: u32) -> Vec<Entry<'p>> {
    let mut cur: Vec<Entry<'p>> = Vec::new();
    if depth > MAX_DEPTH {
        return cur;
    }
    let Some(f) = cx.index.project.file(file) else {
        return cur;
    };
    for s in &f.facts.module_stmts {
        match &s.kind {
            StmtKind::Assign {
                targets,
                value,
                augmented,
                ..
            } => {
                if !targets
                    .iter()
                    .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
                {
                    continue;
                }
                let new = source_entries(cx, file, value, name, &cur, depth);
                if *augmented {
                    cur.extend(new);
                } else {
                    cur = new;
                }
            }
            StmtKind::Expr(e) => {
                let Some((func, args)) = e.as_call() else {
                    continue;
                };
                let ExprKind::Attr(recv, m) = &func.kind else {
                    continue;
                };
                if !matches!(&recv.kind, ExprKind::Name(n) if n == name) {
                    continue;
                }
                let new = match m.as_str() {
                    "append" => args.positional(0).map(|x| item_entries(cx, file, x, depth)),
                    "insert" => args.positional(1).map(|x| item_entries(cx, file, x, depth)),
                    "extend" => args
                        .positional(0)
                        .map(|x| source_entries(cx, file, x, name, &cur, depth)),
                    _ => None,
                };
                cur.extend(new.unwrap_or_default());
            }
            StmtKind::Return(_) => {}
        }
    }
    cur
}

/// Entries of an inline list (or any list-valued expression) written in `file`.
pub fn list_entries<'p>(
    cx: &Ucx<'_, '_, 'p>,
    file: u32,
    expr: &'p Expr,
    cur: &[Entry<'p>],
    depth: u32,
) -> Vec<Entry<'p>> {
    source_entries(cx, file, expr, "", cur, depth)
}

/// Entries of a list-valued expression: a literal, `self_name` (the list being
/// built), another module-level list, `a + b`, `router.urls`,
/// `format_suffix_patterns(...)`, `i18n_patterns(...)`.
fn source_entries<'p>(
    cx: &Ucx<'_, '_, 'p>,
    file: u32,
    expr: &'p Expr,
    self_name: &str,
    cur: &[Entry<'p>],
    depth: u32,
) -> Vec<Entry<'p>> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    match &expr.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs
            .iter()
            .flat_map(|x| item_entries(cx, file, x, depth))
            .collect(),
        ExprKind::Name(n) if !self_name.is_empty() && n == self_name => cur.to_vec(),
        ExprKind::Binary(BinOp::Add, l, r) => {
            let mut out = source_entries(cx, file, l, self_name, cur, depth + 1);
            out.extend(source_entries(cx, file, r, self_name, cur, depth + 1));
            out
        }
        ExprKind::Attr(recv, a) if a == "urls" && router_key(cx, file, recv).is_some() => {
            let key = router_key(cx, file, recv).into_iter();
            key.map(|k| Entry {
                file,
                pattern: String::new(),
                regex: false,
                target: Target::Include(Include::Router(k)),
                span: expr.span,
                wraps: Vec::new(),
            })
            .collect()
        }
        ExprKind::Call { func, args } => match func.last_name() {
            Some("format_suffix_patterns") => match args.positional(0) {
                Some(x) => source_entries(cx, file, x, self_name, cur, depth + 1),
                None => Vec::new(),
            },
            // wagtail's `decorate_urlpatterns(urlpatterns, require_admin_access)`.
            Some("decorate_urlpatterns") => match (args.positional(0), args.positional(1)) {
                (Some(x), Some(d)) => {
                    let mut out = source_entries(cx, file, x, self_name, cur, depth + 1);
                    for e in &mut out {
                        e.wraps.push((file, d));
                    }
                    out
                }
                _ => Vec::new(),
            },
            Some("i18n_patterns") => args
                .iter()
                .filter(|a| a.name.is_none())
                .flat_map(|a| item_entries(cx, file, &a.value, depth + 1))
                .collect(),
            _ => Vec::new(),
        },
        ExprKind::Name(_) | ExprKind::Attr(..) => match cx.index.resolve_expr(file, expr) {
            Some(Symbol::Global { file: f, .. }) => match expr.last_name() {
                Some(n) => named_list(cx, f, n, depth + 1),
                None => Vec::new(),
            },
            _ => Vec::new(),
        },
        // `*other_patterns` inside a list.
        ExprKind::Other(xs) => xs
            .iter()
            .flat_map(|x| source_entries(cx, file, x, self_name, cur, depth + 1))
            .collect(),
        _ => Vec::new(),
    }
}

/// The entries one list item gives: a `path()`/`re_path()`/`url()` call, or a
/// spliced list.
fn item_entries<'p>(cx: &Ucx<'_, '_, 'p>, file: u32, item: &'p Expr, depth: u32) -> Vec<Entry<'p>> {
    let Some((func, args)) = item.as_call() else {
        return match &item.kind {
            ExprKind::Other(_) => source_entries(cx, file, item, "", &[], depth + 1),
            _ => Vec::new(),
        };
    };
    let regex = match func.last_name() {
        Some("path") => false,
        Some("re_path" | "url") => true,
        _ => return Vec::new(),
    };
    let pattern = args
        .positional(0)
        .or_else(|| args.keyword("route"))
        .or_else(|| args.keyword("regex"));
    let Some(view) = args.positional(1).or_else(|| args.keyword("view")) else {
        return Vec::new();
    };
    let pattern = pattern
        .map(|p| pattern_text(cx, file, p))
        .unwrap_or_default();
    let Some(target) = view_target(cx, file, view) else {
        return Vec::new();
    };
    let wraps = match &view.kind {
        // `decorator_include(login_required, "app.urls")` (django-decorator-include).
        ExprKind::Call { func, args } if func.last_name() == Some("decorator_include") => args
            .positional(0)
            .map(|d| decorators_of(file, d))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    vec![Entry {
        file,
        pattern,
        regex,
        target,
        span: item.span,
        wraps,
    }]
}

/// The decorators a wrapping helper applies: one, or a list/tuple of them.
fn decorators_of(file: u32, d: &Expr) -> Vec<(u32, &Expr)> {
    match &d.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().map(|x| (file, x)).collect(),
        _ => vec![(file, d)],
    }
}

/// What the view argument of `path()` leads to.
fn view_target<'p>(cx: &Ucx<'_, '_, 'p>, file: u32, view: &'p Expr) -> Option<Target<'p>> {
    match &view.kind {
        ExprKind::Call { func, args } if func.last_name() == Some("include") => {
            let arg = args.positional(0).or_else(|| args.keyword("arg"))?;
            include_target(cx, file, arg, 0).map(Target::Include)
        }
        ExprKind::Call { func, args } if func.last_name() == Some("decorator_include") => {
            include_target(cx, file, args.positional(1)?, 0).map(Target::Include)
        }
        // `path("api/", router.urls)`, `path("api/", (patterns, "app"))`: a list is an include.
        ExprKind::Attr(recv, a) if a == "urls" => match router_key(cx, file, recv) {
            Some(k) => Some(Target::Include(Include::Router(k))),
            None => Some(Target::View(view)),
        },
        ExprKind::Tuple(xs) => include_target(cx, file, xs.first()?, 0).map(Target::Include),
        _ => Some(Target::View(view)),
    }
}

/// What `include(arg)` includes; `None` for modules outside the project
/// (`django.contrib.auth.urls`) and `admin.site.urls`.
fn include_target<'p>(
    cx: &Ucx<'_, '_, 'p>,
    file: u32,
    arg: &'p Expr,
    depth: u32,
) -> Option<Include<'p>> {
    if depth > 4 {
        return None;
    }
    match &arg.kind {
        // `include(("shop.urls", "shop"))`, `include((patterns, "app_name"))`.
        ExprKind::Tuple(xs) => include_target(cx, file, xs.first()?, depth + 1),
        ExprKind::Str(m) => cx.index.find_py_module(m, file).map(Include::Module),
        ExprKind::List(_) | ExprKind::Binary(BinOp::Add, _, _) => {
            Some(Include::List { file, expr: arg })
        }
        ExprKind::Attr(recv, a) if a == "urls" && router_key(cx, file, recv).is_some() => {
            router_key(cx, file, recv).map(Include::Router)
        }
        ExprKind::Name(_) | ExprKind::Attr(..) => match cx.index.resolve_expr(file, arg)? {
            Symbol::Module(m) => Some(Include::Module(m)),
            Symbol::Global { file: f, .. } => {
                let name = arg.last_name()?;
                // A module-level list, as opposed to e.g. a string naming a module.
                match module_value(cx.index, f, name).map(|(_, v)| &v.kind) {
                    Some(ExprKind::Str(m)) => cx.index.find_py_module(m, f).map(Include::Module),
                    _ => Some(Include::Named { file: f, name }),
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// The router a receiver expression names, if it is one.
pub fn router_key(cx: &Ucx, file: u32, recv: &Expr) -> Option<RouterKey> {
    let Symbol::Global { file: f, stmt } = cx.index.resolve_expr(file, recv)? else {
        return None;
    };
    let s = cx
        .index
        .project
        .file(f)?
        .facts
        .module_stmts
        .get(stmt as usize)?;
    let StmtKind::Assign { value, .. } = &s.kind else {
        return None;
    };
    is_router_call(value).then_some((f, stmt))
}

/// `DefaultRouter()`, `routers.SimpleRouter(trailing_slash=False)`,
/// `NestedSimpleRouter(router, "orders", lookup="order")`: a DRF-style router
/// (FastAPI's `APIRouter` and Starlette's `Router` are not).
fn is_router_call(value: &Expr) -> bool {
    value.as_call().is_some_and(|(func, _)| {
        func.last_name()
            .is_some_and(|n| n.ends_with("Router") && n != "Router" && n != "APIRouter")
    })
}

/// Trailing slash and nesting of the router created at `key`.
fn router_info<'p>(cx: &Ucx<'_, '_, 'p>, key: RouterKey) -> Router<'p> {
    let mut r = Router {
        trailing: "/".into(),
        ..Router::default()
    };
    let value = cx
        .index
        .project
        .file(key.0)
        .and_then(|f| f.facts.module_stmts.get(key.1 as usize))
        .and_then(|s| match &s.kind {
            StmtKind::Assign { value, .. } => Some(value),
            _ => None,
        });
    let Some((_, args)) = value.and_then(|v| v.as_call()) else {
        return r;
    };
    match args.keyword("trailing_slash").map(|e| &e.kind) {
        Some(ExprKind::Bool(false)) => r.trailing.clear(),
        Some(ExprKind::Str(s)) if s.is_empty() => r.trailing.clear(),
        // drf-extensions / custom routers pass a regex such as `/?`.
        Some(ExprKind::Str(s)) => r.trailing = s.clone(),
        _ => {}
    }
    // drf-nested-routers: `NestedSimpleRouter(parent, r"orders", lookup="order")`
    // serves `orders/{order_pk}/<prefix>/`.
    if let (Some(parent_prefix), Some(lookup)) = (
        args.positional(1),
        args.keyword("lookup").and_then(Expr::as_str),
    ) {
        let p = pattern_text(cx, key.0, parent_prefix);
        r.nested = format!("{}/{{{lookup}_pk}}/", p.trim_end_matches('/'));
    }
    r
}

/// The text of a URL pattern: a string, a module-level string constant, or an
/// f-string with its placeholders kept as `{name}`.
fn pattern_text(cx: &Ucx, file: u32, e: &Expr) -> String {
    match &e.kind {
        ExprKind::FStr(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => s.clone(),
                StrPart::Expr(x) => piece_text(cx, file, x),
            })
            .collect(),
        _ => piece_text(cx, file, e),
    }
}

/// A string, a module-level string constant, or a Django setting; what
/// cannot be read shows as `{name}`. A setting that is not a literal (a base
/// path read from the environment) counts as empty, its usual value, so that
/// the paths below it keep their shape.
fn piece_text(cx: &Ucx, file: u32, e: &Expr) -> String {
    match &e.kind {
        ExprKind::Str(s) => s.clone(),
        ExprKind::Name(n) => match module_value(cx.index, file, n).and_then(|(_, v)| v.as_str()) {
            Some(v) => v.to_string(),
            None => format!("{{{n}}}"),
        },
        ExprKind::Attr(base, name) if is_django_settings(cx, file, base) => {
            cx.settings.string(cx, name).unwrap_or_default()
        }
        _ => "{…}".to_string(),
    }
}

/// Whether `e` is `django.conf.settings`.
fn is_django_settings(cx: &Ucx, file: u32, e: &Expr) -> bool {
    matches!(cx.index.resolve_expr(file, e), Some(Symbol::External(p)) if p == "django.conf.settings")
}

/// Joins a prefix and a pattern as Django does (plain concatenation), with a
/// regex's `^` and `$` dropped at the join.
pub fn join_pattern(prefix: &str, piece: &str, regex: bool) -> String {
    let piece = if regex { strip_anchors(piece) } else { piece };
    format!("{prefix}{piece}")
}

/// A regex pattern without its leading `^` and trailing `$`.
pub fn strip_anchors(piece: &str) -> &str {
    let p = piece.strip_prefix('^').unwrap_or(piece);
    p.strip_suffix('$').unwrap_or(p)
}

/// A joined pattern as shown: with one leading `/`.
pub fn display_path(full: &str) -> String {
    if full.starts_with('/') {
        full.to_string()
    } else {
        format!("/{full}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    const VIEWS: &str = r#"
def order_list(request):
    pass
def order_detail(request, pk):
    pass
def report(request):
    pass
"#;

    #[test]
    fn joins_patterns() {
        assert_eq!(
            join_pattern("api/", "orders/<int:pk>/", false),
            "api/orders/<int:pk>/"
        );
        assert_eq!(
            join_pattern("api/", r"^orders/(?P<pk>\d+)/$", true),
            r"api/orders/(?P<pk>\d+)/"
        );
        assert_eq!(join_pattern("", "^$", true), "");
        assert_eq!(display_path(""), "/");
        assert_eq!(display_path("api/"), "/api/");
    }

    #[test]
    fn path_re_path_and_include_prefixes() {
        let root = r#"
from django.contrib import admin
from django.urls import include, path
urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("shop/", include("shop.urls")),
]
"#;
        let shop = r#"
from django.urls import path, re_path
from . import views
urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    re_path(r"^orders/(?P<pk>\d+)/$", views.order_detail),
]
"#;
        let routes = routes_of(&[
            ("proj/urls.py", root),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert_eq!(
            paths(&routes),
            ["ANY /shop/orders/", r"ANY /shop/orders/(?P<pk>\d+)/"]
        );
        let r = route(&routes, "/shop/orders/");
        assert_eq!(r.handler.name, "order_list");
        assert_eq!(r.handler.location.path, "shop/views.py");
        assert_eq!(
            r.registration
                .as_ref()
                .map(|l| (l.path.as_str(), l.span.start.line)),
            Some(("shop/urls.py", 5))
        );
        assert_eq!(r.group, "django:urls:shop/urls.py");
    }

    #[test]
    fn augmented_append_and_old_style_url() {
        let urls = r#"
from django.conf.urls import url
from django.urls import path
from .views import order_list, order_detail, report
urlpatterns = [path("orders/", order_list)]
urlpatterns += [url(r"^orders/(\d+)/$", order_detail)]
urlpatterns.append(path("report/", report))
"#;
        let routes = routes_of(&[("shop/urls.py", urls), ("shop/views.py", VIEWS)]);
        assert_eq!(
            paths(&routes),
            ["ANY /orders/", r"ANY /orders/(\d+)/", "ANY /report/"]
        );
    }

    #[test]
    fn include_inline_tuple_module_object_and_named_list() {
        let root = r#"
from django.urls import include, path
from shop import urls as shop_urls
from shop import views
extra = [path("report/", views.report)]
urlpatterns = [
    path("a/", include([path("orders/", views.order_list)])),
    path("b/", include(("shop.urls", "shop"), namespace="shop")),
    path("c/", include(shop_urls)),
    path("d/", include(extra)),
]
"#;
        let shop = "from django.urls import path\nfrom . import views\nurlpatterns = [path('<int:pk>/', views.order_detail)]\n";
        let routes = routes_of(&[
            ("proj/urls.py", root),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert_eq!(
            paths(&routes),
            [
                "ANY /a/orders/",
                "ANY /b/<int:pk>/",
                "ANY /c/<int:pk>/",
                "ANY /d/report/"
            ]
        );
    }

    #[test]
    fn roots_without_root_urlconf_and_include_cycles() {
        // a includes b, b includes a (a cycle); c is included by nobody.
        let a = "from django.urls import include, path\nfrom shop import views\nurlpatterns = [path('b/', include('b')), path('list/', views.order_list)]\n";
        let b = "from django.urls import include, path\nfrom shop import views\nurlpatterns = [path('a/', include('a')), path('report/', views.report)]\n";
        let c = "from django.urls import include, path\nurlpatterns = [path('x/', include('b'))]\n";
        let routes = routes_of(&[
            ("a.py", a),
            ("b.py", b),
            ("c.py", c),
            ("shop/views.py", VIEWS),
        ]);
        // Only c is a root: a and b are included; b is not entered again under itself.
        assert_eq!(paths(&routes), ["ANY /x/a/list/", "ANY /x/report/"]);
    }

    #[test]
    fn module_included_twice_yields_both_prefixes() {
        let root = "from django.urls import include, path\nurlpatterns = [path('v1/', include('shop.urls')), path('v2/', include('shop.urls'))]\n";
        let shop = "from django.urls import path\nfrom . import views\nurlpatterns = [path('orders/', views.order_list)]\n";
        let routes = routes_of(&[
            ("proj/urls.py", root),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert_eq!(paths(&routes), ["ANY /v1/orders/", "ANY /v2/orders/"]);
    }

    #[test]
    fn prefixes_from_constants_and_settings() {
        let settings = "ROOT_URLCONF = 'proj.urls'\nBASE_PATH = trailing_slash(getattr(configuration, 'BASE_PATH', ''))\nAPI = 'api/'\n";
        let root = r#"
from django.conf import settings
from django.urls import include, path
V = "v2"
_patterns = [path("shop/", include("shop.urls")), path(f"{V}/", include("shop.urls")), path(settings.API, include("shop.urls"))]
urlpatterns = [path(settings.BASE_PATH, include(_patterns))]
"#;
        let shop = "from django.urls import path\nfrom . import views\nurlpatterns = [path('login/', views.report)]\n";
        let routes = routes_of(&[
            ("proj/settings.py", settings),
            ("proj/urls.py", root),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert_eq!(
            paths(&routes),
            ["ANY /api/login/", "ANY /shop/login/", "ANY /v2/login/"]
        );
    }

    #[test]
    fn decorators_applied_to_includes() {
        let root = r#"
from decorator_include import decorator_include
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from wagtail.utils.urlpatterns import decorate_urlpatterns
from shop import views
urlpatterns = [path("staff/", decorator_include([login_required], "shop.urls"))]
urlpatterns = decorate_urlpatterns(urlpatterns, login_required)
urlpatterns += [path("open/", views.report)]
"#;
        let shop = "from django.urls import path\nfrom . import views\nurlpatterns = [path('orders/', views.order_list)]\n";
        let routes = routes_of(&[
            ("proj/urls.py", root),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert_eq!(paths(&routes), ["ANY /open/", "ANY /staff/orders/"]);
        assert_eq!(
            ev(&route(&routes, "/staff/orders/").auth),
            ["router:login_required", "router:login_required"]
        );
        assert!(route(&routes, "/open/").auth.is_empty());
    }

    #[test]
    fn modules_included_from_functions_are_not_roots() {
        // A plugin hook returns the include: its prefix and wrappers are unknown.
        let hooks = r#"
from django.urls import include, path
from shop import urls as shop_urls
def register_admin_urls():
    return [path("shop/", include(shop_urls))]
"#;
        let shop = "from django.urls import path\nfrom . import views\nurlpatterns = [path('orders/', views.order_list)]\n";
        let routes = routes_of(&[
            ("shop/hooks.py", hooks),
            ("shop/urls.py", shop),
            ("shop/views.py", VIEWS),
        ]);
        assert!(routes.is_empty(), "{:?}", paths(&routes));
    }
}
