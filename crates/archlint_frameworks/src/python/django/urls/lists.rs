//! Parsing of URL pattern lists: `urlpatterns` built by `=`, `+=`,
//! `.append`/`.extend`/`.insert`, `path()`/`re_path()`/`url()` items,
//! `include()` in all its forms, lists of other modules, and the text of
//! patterns written as constants, f-strings or settings.

use super::routers::router_key;
use super::{Entry, Include, MAX_DEPTH, Target, Ucx};
use crate::routes::module_value;
use archlint_model::{ArgsExt, BinOp, Expr, ExprKind, StmtKind, StrPart, Symbol};

/// Bound on the entries of one list (real ones have tens to hundreds).
const MAX_ENTRIES: usize = 5_000;

/// The entries of a module-level list built by assignments (`=`, `+=`) and
/// `.append` / `.extend` / `.insert` calls, in statement order.
pub(super) fn named_list<'p>(
    cx: &Ucx<'_, '_, 'p>,
    file: u32,
    name: &str,
    depth: u32,
) -> Vec<Entry<'p>> {
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
        // `urlpatterns = urlpatterns + urlpatterns`, repeated, must not explode.
        cur.truncate(MAX_ENTRIES);
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
            out.truncate(MAX_ENTRIES);
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

/// The text of a URL pattern: a string, a module-level string constant, or an
/// f-string with its placeholders kept as `{name}`.
pub(super) fn pattern_text(cx: &Ucx, file: u32, e: &Expr) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::super::testutil::*;

    const VIEWS: &str = r#"
def order_list(request):
    pass
def order_detail(request, pk):
    pass
def report(request):
    pass
"#;

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
    fn self_doubling_lists_stay_bounded() {
        let mut urls = String::from(
            "from django.urls import path\nfrom . import views\nurlpatterns = [path('a/', views.report)]\n",
        );
        for _ in 0..40 {
            urls.push_str("urlpatterns = urlpatterns + urlpatterns + urlpatterns\n");
        }
        let routes = routes_of(&[("shop/urls.py", &urls), ("shop/views.py", VIEWS)]);
        assert_eq!(paths(&routes), ["ANY /a/"]);
    }
}
