//! URL configuration: the urls modules of the project, the root ones
//! (`ROOT_URLCONF`, else those nothing includes), and the walk from the roots
//! that joins `include()` prefixes into full paths and collects the views and
//! DRF routers reached. Parsing of the pattern lists is in [`lists`], DRF
//! routers and their `register()` calls in [`routers`].

mod lists;
mod routers;

pub use lists::list_entries;
pub use routers::{Router, RouterKey};

use super::settings::Settings;
use crate::routes::Cx;
use archlint_model::visit::walk_stmts;
use archlint_model::{ArgsExt, Expr, ExprKind, Language, Span, StmtKind, Symbol};
use lists::named_list;
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

/// Bound on `include()` nesting and on lists referring to lists.
pub(crate) const MAX_DEPTH: u32 = 16;

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
        let mut w = Walk {
            chain: Vec::new(),
            seen: BTreeSet::new(),
            budget: MAX_VISITS,
            found: Found::default(),
        };
        for root in self.roots(cx) {
            let Some(entries) = self.modules.get(&root) else {
                continue;
            };
            w.chain = vec![root];
            let at = Place {
                prefix: "",
                wraps: &[],
                depth: 0,
            };
            self.walk_entries(cx, entries, at, &mut w);
        }
        w.found
    }

    fn walk_entries(
        &self,
        cx: &Ucx<'_, '_, 'p>,
        entries: &[Entry<'p>],
        at: Place<'_, 'p>,
        w: &mut Walk<'p>,
    ) {
        for e in entries {
            if w.budget == 0 {
                return;
            }
            w.budget -= 1;
            let full = join_pattern(at.prefix, &e.pattern, e.regex);
            let wraps: Vec<(u32, &'p Expr)> = at.wraps.iter().chain(&e.wraps).copied().collect();
            let depth = at.depth + 1;
            let below = Place {
                prefix: &full,
                wraps: &wraps,
                depth,
            };
            match e.target {
                Target::View(view) => {
                    let path = display_path(&full);
                    // A pattern listed twice (or reached twice by one path) is one route.
                    if w.seen.insert((e.file, e.span, path.clone())) {
                        w.found.views.push(ViewEndpoint {
                            file: e.file,
                            path,
                            view,
                            span: e.span,
                            wraps: wraps.clone(),
                        });
                    }
                }
                Target::Include(inc) if at.depth < MAX_DEPTH => match inc {
                    Include::Module(m) => {
                        // Guard include cycles: a module already on the chain is skipped.
                        if w.chain.contains(&m) {
                            continue;
                        }
                        let Some(sub) = self.modules.get(&m) else {
                            continue;
                        };
                        w.chain.push(m);
                        self.walk_entries(cx, sub, below, w);
                        w.chain.pop();
                    }
                    Include::List { file, expr } => {
                        let sub = list_entries(cx, file, expr, &[], depth);
                        self.walk_entries(cx, &sub, below, w);
                    }
                    Include::Named { file, name } => {
                        let sub = named_list(cx, file, name, depth);
                        self.walk_entries(cx, &sub, below, w);
                    }
                    Include::Router(router) => w.found.mounts.push(Mount {
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

/// The state of a walk: the urls modules being included (for cycles), the
/// visits left, and what was found.
struct Walk<'p> {
    chain: Vec<u32>,
    seen: BTreeSet<(u32, Span, String)>,
    budget: u32,
    found: Found<'p>,
}

/// Where a walk is: the prefix joined so far and the decorators applied so far.
#[derive(Clone, Copy)]
struct Place<'a, 'p> {
    prefix: &'a str,
    wraps: &'a [(u32, &'p Expr)],
    /// Include nesting, bounded by `MAX_DEPTH`.
    depth: u32,
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
