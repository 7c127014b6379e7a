//! Django settings: `ROOT_URLCONF`, the `MIDDLEWARE` list and DRF's
//! `REST_FRAMEWORK` defaults, read from every settings module of the project
//! (`settings.py`, or the modules of a `settings/` package).

use super::policy::{PermVerdict, classify_permissions};
use crate::routes::{Cx, module_value, short};
use archlint_model::{ArgsExt, Evidence, Expr, ExprKind, Language, Scope, StmtKind};

/// What the settings modules say, merged (the first settings module, by path,
/// that provides a piece of evidence wins).
#[derive(Default)]
pub struct Settings {
    /// The settings modules, by path order.
    pub files: Vec<u32>,
    /// Files named by `ROOT_URLCONF`, sorted.
    pub root_urlconfs: Vec<u32>,
    /// Whether some settings module sets `ROOT_URLCONF` (even to a module outside the scan).
    pub has_root_urlconf: bool,
    /// `LoginRequiredMiddleware` in `MIDDLEWARE`: every Django view needs a login.
    pub login_required: Option<Evidence>,
    /// A rate-limiting middleware that limits by itself.
    pub rate_limit: Option<Evidence>,
    /// DRF `DEFAULT_PERMISSION_CLASSES` that require something (not `AllowAny`).
    pub drf_permission: Option<Evidence>,
    /// DRF `DEFAULT_THROTTLE_CLASSES`, non-empty.
    pub drf_throttle: Option<Evidence>,
}

const SETTINGS_NAMES: [&str; 5] = [
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
    "REST_FRAMEWORK",
    "ROOT_URLCONF",
];

impl Settings {
    /// Reads every Python module that assigns a Django setting at module level.
    pub fn collect(cx: &Cx) -> Settings {
        let mut s = Settings::default();
        let mut roots = Vec::new();
        for (fi, file) in cx.index.project.files.iter().enumerate() {
            if file.language != Language::Python {
                continue;
            }
            let fi = fi as u32;
            let stmts = &file.facts.module_stmts;
            let is_settings = stmts.iter().any(|st| match &st.kind {
                StmtKind::Assign { targets, .. } => targets.iter().any(|t| matches!(&t.kind, ExprKind::Name(n) if SETTINGS_NAMES.contains(&n.as_str()))),
                _ => false,
            });
            if !is_settings {
                continue;
            }
            s.files.push(fi);
            for st in stmts {
                s.statement(cx, fi, &st.kind, &mut roots);
            }
        }
        roots.sort_unstable();
        roots.dedup();
        s.root_urlconfs = roots;
        s
    }

    /// A string setting (`BASE_PATH = "netbox/"`), from the first settings module that has one.
    pub fn string(&self, cx: &Cx, name: &str) -> Option<String> {
        self.files.iter().find_map(|&f| {
            module_value(cx.index, f, name).and_then(|(_, v)| v.as_str().map(str::to_string))
        })
    }

    fn statement(&mut self, cx: &Cx, file: u32, kind: &StmtKind, roots: &mut Vec<u32>) {
        match kind {
            StmtKind::Assign { targets, value, .. } => {
                for t in targets {
                    match &t.kind {
                        ExprKind::Name(n) => match n.as_str() {
                            "ROOT_URLCONF" => {
                                if let Some(m) = value.as_str() {
                                    self.has_root_urlconf = true;
                                    roots.extend(cx.index.find_py_module(m, file));
                                }
                            }
                            "MIDDLEWARE" | "MIDDLEWARE_CLASSES" => self.middleware(cx, file, value),
                            "REST_FRAMEWORK" => self.drf_dict(cx, file, value),
                            _ => {}
                        },
                        // `REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [...]`
                        ExprKind::Subscript(base, idx) if matches!(&base.kind, ExprKind::Name(n) if n == "REST_FRAMEWORK") => {
                            if let Some(key) = idx.first().and_then(Expr::as_str) {
                                self.drf_default(cx, file, key, value);
                            }
                        }
                        _ => {}
                    }
                }
            }
            // `MIDDLEWARE.append("...")`, `MIDDLEWARE.insert(0, "...")`, `MIDDLEWARE.extend([...])`,
            // `REST_FRAMEWORK.update({...})`.
            StmtKind::Expr(e) => {
                let Some((func, args)) = e.as_call() else {
                    return;
                };
                let ExprKind::Attr(recv, m) = &func.kind else {
                    return;
                };
                if m == "update" && matches!(&recv.kind, ExprKind::Name(n) if n == "REST_FRAMEWORK")
                {
                    for a in args {
                        match &a.name {
                            None => self.drf_dict(cx, file, &a.value),
                            Some(k) => self.drf_default(cx, file, k, &a.value),
                        }
                    }
                    return;
                }
                if !matches!(&recv.kind, ExprKind::Name(n) if n == "MIDDLEWARE" || n == "MIDDLEWARE_CLASSES")
                {
                    return;
                }
                let item = match m.as_str() {
                    "append" | "extend" => args.positional(0),
                    "insert" => args.positional(1),
                    _ => None,
                };
                if let Some(item) = item {
                    self.middleware(cx, file, item);
                }
            }
            StmtKind::Return(_) => {}
        }
    }

    /// Middleware entries: strings (or lists/tuples/sums of them).
    fn middleware(&mut self, cx: &Cx, file: u32, value: &Expr) {
        let names = cx.names(Language::Python);
        for item in strings(value) {
            let Some(path) = item.as_str() else { continue };
            let last = path.rsplit('.').next().unwrap_or(path);
            let ev = || Evidence {
                scope: Scope::Settings,
                what: format!("MIDDLEWARE: {last}"),
                location: Some(cx.location(file, item.span)),
            };
            if self.login_required.is_none() && names.auth.middleware.matches(last) {
                self.login_required = Some(ev());
            }
            // django-ratelimit's middleware only turns `Ratelimited` into a 429:
            // the limits themselves come from decorators.
            let handler_only =
                path.starts_with("django_ratelimit.") || path.starts_with("ratelimit.");
            if self.rate_limit.is_none()
                && !handler_only
                && names.rate_limit.middleware.matches(last)
            {
                self.rate_limit = Some(ev());
            }
        }
    }

    /// `{"DEFAULT_PERMISSION_CLASSES": [...], ...}` or `dict(DEFAULT_PERMISSION_CLASSES=[...])`.
    fn drf_dict(&mut self, cx: &Cx, file: u32, value: &Expr) {
        match &value.kind {
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    if let Some(key) = k.as_str() {
                        self.drf_default(cx, file, key, v);
                    }
                }
            }
            ExprKind::Call { func, args } if func.last_name() == Some("dict") => {
                for a in args {
                    if let Some(k) = &a.name {
                        self.drf_default(cx, file, k, &a.value);
                    }
                }
            }
            _ => {}
        }
    }

    fn drf_default(&mut self, cx: &Cx, file: u32, key: &str, value: &Expr) {
        let location = Some(cx.location(file, value.span));
        match key {
            // `AllowAny` (or nothing) as the default is no evidence either way.
            // An unreadable default is counted: projects set it to require something.
            "DEFAULT_PERMISSION_CLASSES"
                if self.drf_permission.is_none()
                    && classify_permissions(cx, file, value) != PermVerdict::Public =>
            {
                self.drf_permission = Some(Evidence {
                    scope: Scope::Settings,
                    what: format!("DEFAULT_PERMISSION_CLASSES = {}", last_names(value)),
                    location,
                });
            }
            "DEFAULT_THROTTLE_CLASSES" if self.drf_throttle.is_none() && !is_empty_list(value) => {
                self.drf_throttle = Some(Evidence {
                    scope: Scope::Settings,
                    what: format!("DEFAULT_THROTTLE_CLASSES = {}", last_names(value)),
                    location,
                });
            }
            _ => {}
        }
    }
}

/// The items of a list, tuple or `a + b` of them.
pub fn strings(value: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    // Bounded: a sum of lists is shallow; stop after a few hundred nodes anyway.
    let mut budget = 512;
    while let (Some(e), true) = (stack.pop(), budget > 0) {
        budget -= 1;
        match &e.kind {
            ExprKind::List(xs) | ExprKind::Tuple(xs) => out.extend(xs.iter()),
            ExprKind::Binary(archlint_model::BinOp::Add, l, r) => {
                stack.push(r);
                stack.push(l);
            }
            _ => {}
        }
    }
    out
}

/// An empty list or tuple literal (a value we cannot read is not empty).
fn is_empty_list(value: &Expr) -> bool {
    let literal = matches!(
        value.kind,
        ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::Binary(..)
    );
    literal && strings(value).is_empty()
}

/// `[IsAuthenticated, UserRateThrottle]` from a list of dotted strings or names.
fn last_names(value: &Expr) -> String {
    if !matches!(
        value.kind,
        ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::Binary(..)
    ) {
        return short(value);
    }
    let items: Vec<String> = strings(value)
        .into_iter()
        .map(|x| match x.as_str() {
            Some(s) => s.rsplit('.').next().unwrap_or(s).to_string(),
            None => short(x),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use archlint_model::{MethodSet, Scope};

    const URLS: &str = r#"
from django.urls import path
from shop import views
urlpatterns = [path("orders/", views.order_list)]
"#;
    const VIEWS: &str = "def order_list(request):\n    return render(request, 'x.html')\n";

    #[test]
    fn root_urlconf_from_settings_package() {
        let routes = routes_of(&[
            (
                "proj/settings/base.py",
                "ROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = []\n",
            ),
            (
                "proj/settings/prod.py",
                "from .base import *\nDEBUG = False\n",
            ),
            (
                "proj/urls.py",
                "from django.urls import path, include\nurlpatterns = [path('shop/', include('shop.urls'))]\n",
            ),
            ("shop/urls.py", URLS),
            ("shop/views.py", VIEWS),
            // Not reachable from ROOT_URLCONF: not served.
            ("old/urls.py", URLS),
        ]);
        assert_eq!(paths(&routes), ["ANY /shop/orders/"]);
    }

    #[test]
    fn login_required_middleware_covers_django_views() {
        let settings = r#"
ROOT_URLCONF = "shop.urls"
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
MIDDLEWARE += ["django.contrib.auth.middleware.LoginRequiredMiddleware"]
"#;
        let views = r#"
from django.contrib.auth.decorators import login_not_required
def order_list(request):
    pass
@login_not_required
def about(request):
    pass
"#;
        let urls = r#"
from django.urls import path
from shop import views
urlpatterns = [path("orders/", views.order_list), path("about/", views.about)]
"#;
        let routes = routes_of(&[
            ("proj/settings.py", settings),
            ("shop/urls.py", urls),
            ("shop/views.py", views),
        ]);
        let orders = route(&routes, "/orders/");
        assert_eq!(orders.auth.len(), 1);
        assert_eq!(orders.auth[0].scope, Scope::Settings);
        assert_eq!(orders.auth[0].what, "MIDDLEWARE: LoginRequiredMiddleware");
        let about = route(&routes, "/about/");
        assert!(about.auth.is_empty());
        assert_eq!(about.public[0].what, "@login_not_required");
        assert_eq!(about.methods, MethodSet::ANY);
    }

    #[test]
    fn ratelimit_middleware_is_not_a_limit() {
        let settings = r#"
ROOT_URLCONF = "shop.urls"
MIDDLEWARE = ["django_ratelimit.middleware.RatelimitMiddleware"]
"#;
        let urls = "from django.urls import path\nfrom shop import views\nurlpatterns = [path('orders/', views.order_list)]\n";
        let routes = routes_of(&[
            ("proj/settings.py", settings),
            ("shop/urls.py", urls),
            ("shop/views.py", VIEWS),
        ]);
        assert!(route(&routes, "/orders/").rate_limit.is_empty());
    }
}
