//! Django views reached from the URL configuration: wrappers written in
//! urls.py (`login_required(views.f)`), function views with their method
//! decorators, and the dispatch of `V.as_view()` to class-based views
//! ([`super::classviews`]) and viewsets ([`super::viewsets`]).

use super::classes::{ClassInfo, class_info};
use super::settings::{Settings, strings};
use super::urls::ViewEndpoint;
use super::{Ev, Unit, ViewSpec, classify, drf, emit, func_ev, viewsets, wraps_ev};
use crate::routes::{Cx, short};
use archlint_model::{
    ArgsExt, ClassRef, Expr, ExprKind, Framework, FuncRef, MethodSet, Route, Scope, Symbol,
};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// Route building with the settings and a cache of class hierarchies.
pub struct Views<'c, 'a, 'p> {
    pub cx: &'c Cx<'a, 'p>,
    pub settings: &'c Settings,
    classes: HashMap<ClassRef, Rc<ClassInfo<'p>>>,
}

impl<'c, 'a, 'p> Views<'c, 'a, 'p> {
    pub fn new(cx: &'c Cx<'a, 'p>, settings: &'c Settings) -> Self {
        Views {
            cx,
            settings,
            classes: HashMap::default(),
        }
    }

    /// The hierarchy of a class, computed once.
    pub fn class(&mut self, c: ClassRef) -> Option<Rc<ClassInfo<'p>>> {
        if let Some(i) = self.classes.get(&c) {
            return Some(i.clone());
        }
        let info = Rc::new(class_info(self.cx, c)?);
        self.classes.insert(c, info.clone());
        Some(info)
    }

    /// Routes for one view reached at a full path.
    pub fn endpoint(&mut self, ep: &ViewEndpoint<'p>, out: &mut Vec<Route>) {
        let cx = self.cx;
        let (core, mut wrap) = unwrap_view(cx, ep.file, ep.view);
        wrap.extend(wraps_ev(cx, &ep.wraps));
        let registration = Some(cx.location(ep.file, ep.span));
        match core.as_call() {
            Some((func, args)) => {
                let ExprKind::Attr(cls, m) = &func.kind else {
                    return;
                };
                if m != "as_view" {
                    return;
                }
                let Some(Symbol::Class(c)) = cx.index.resolve_expr(ep.file, cls) else {
                    return;
                };
                let Some(info) = self.class(c) else { return };
                if drf::is_viewset(&info) {
                    if let Some(spec) = viewsets::viewset_as_view(self, &info, args, wrap) {
                        emit(&spec, &ep.path, registration, out);
                    }
                    return;
                }
                let group = format!("django:urls:{}", self.path_of(ep.file));
                if let Some(spec) = self.class_view(&info, args, wrap, group) {
                    emit(&spec, &ep.path, registration, out);
                }
            }
            None => {
                let Some(Symbol::Func(f)) = cx.index.resolve_expr(ep.file, core) else {
                    return;
                };
                let group = format!("django:urls:{}", self.path_of(ep.file));
                if let Some(spec) = self.function_view(f, wrap, group) {
                    emit(&spec, &ep.path, registration, out);
                }
            }
        }
    }

    pub(super) fn path_of(&self, file: u32) -> &'p str {
        self.cx
            .index
            .project
            .file(file)
            .map(|f| f.path.as_str())
            .unwrap_or("")
    }

    /// A function view: Django (any method unless restricted) or DRF `@api_view`.
    fn function_view(&mut self, f: FuncRef, wrap: Ev, group: String) -> Option<ViewSpec> {
        let cx = self.cx;
        let func = cx.index.project.func(f)?;
        let mut base = wrap;
        base.extend(func_ev(cx, f, Scope::Route));
        let api_view = func
            .decorators
            .iter()
            .find(|d| d.last_name() == Some("api_view"));
        let (framework, methods) = match api_view {
            Some(d) => {
                base.extend(
                    drf::function_policy(f.file, &func.decorators).evidence(cx, self.settings),
                );
                (Framework::Drf, drf::api_view_methods(d))
            }
            None => {
                self.django_settings_ev(&mut base);
                (Framework::Django, require_methods(&func.decorators))
            }
        };
        base.rate.extend(self.settings.rate_limit.clone());
        Some(ViewSpec {
            framework,
            name: func.name.clone(),
            location: cx.location(f.file, func.name_span),
            group,
            base,
            units: vec![Unit {
                methods,
                funcs: vec![f],
                ev: Ev::default(),
            }],
            shared: Vec::new(),
        })
    }

    /// `LoginRequiredMiddleware` covers Django views not marked `login_not_required`.
    pub(super) fn django_settings_ev(&self, ev: &mut Ev) {
        if !ev.login_not_required() {
            ev.auth.extend(self.settings.login_required.clone());
        }
    }
}

/// Peels wrappers written around a view in urls.py (`login_required(v)`,
/// `permission_required("x")(v)`, `csrf_exempt(v)`, `cache_page(60)(v)`),
/// returning the view and the wrappers' evidence (route scope, located at the
/// wrapping call).
fn unwrap_view<'p>(cx: &Cx, file: u32, view: &'p Expr) -> (&'p Expr, Ev) {
    let mut ev = Ev::default();
    let mut cur = view;
    for _ in 0..8 {
        let Some((func, args)) = cur.as_call() else {
            break;
        };
        if matches!(&func.kind, ExprKind::Attr(_, m) if m == "as_view") {
            break;
        }
        let Some(inner) = args.positional(0) else {
            break;
        };
        classify(
            cx,
            file,
            func,
            || format!("{}(…)", short(func)),
            Scope::Route,
            cur,
            &mut ev,
        );
        cur = inner;
    }
    (cur, ev)
}

/// Methods a Django function view accepts: `require_http_methods([...])`,
/// `require_GET`, `require_POST`, `require_safe`, else any.
fn require_methods(decorators: &[Expr]) -> MethodSet {
    let mut out: Option<MethodSet> = None;
    for d in decorators {
        let m = match d.last_name() {
            Some("require_GET") => MethodSet::GET,
            Some("require_POST") => MethodSet::POST,
            Some("require_safe") => MethodSet::GET.union(MethodSet::HEAD),
            Some("require_http_methods") => match d.as_call().and_then(|(_, a)| a.positional(0)) {
                Some(list) => method_list(list),
                None => continue,
            },
            _ => continue,
        };
        // Stacked restrictions: the tightest one wins.
        out = Some(match out {
            Some(prev) => intersect(prev, m),
            None => m,
        });
    }
    match out {
        Some(m) if !m.is_empty() => m,
        _ => MethodSet::ANY,
    }
}

/// `["GET", "POST"]` as a method set (unknown names ignored).
pub fn method_list(list: &Expr) -> MethodSet {
    strings(list)
        .into_iter()
        .filter_map(|x| x.as_str().and_then(MethodSet::parse))
        .fold(MethodSet::EMPTY, MethodSet::union)
}

/// Methods in both sets (`ANY` contains every method).
pub fn intersect(a: MethodSet, b: MethodSet) -> MethodSet {
    if a.contains(MethodSet::ANY) {
        return b;
    }
    if b.contains(MethodSet::ANY) {
        return a;
    }
    a.names()
        .into_iter()
        .filter_map(MethodSet::parse)
        .filter(|m| b.contains(*m))
        .fold(MethodSet::EMPTY, MethodSet::union)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use archlint_model::Framework;

    #[test]
    fn function_view_method_decorators() {
        let views = r#"
from django.views.decorators.http import require_GET, require_POST, require_http_methods, require_safe
def any_method(request): pass
@require_http_methods(["GET", "POST"])
def get_post(request): pass
@require_GET
def only_get(request): pass
@require_POST
def only_post(request): pass
@require_safe
def safe(request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [
    path("a/", views.any_method), path("b/", views.get_post), path("c/", views.only_get),
    path("d/", views.only_post), path("e/", views.safe),
]
"#;
        let routes = shop_app(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "ANY /a/",
                "GET, POST /b/",
                "GET /c/",
                "POST /d/",
                "GET, HEAD /e/"
            ]
        );
        assert!(routes.iter().all(|r| r.framework == Framework::Django));
    }

    #[test]
    fn function_view_auth_public_and_rate_limit_decorators() {
        let views = r#"
from django.contrib.auth.decorators import login_required, permission_required, user_passes_test
from django.contrib.admin.views.decorators import staff_member_required
from django_ratelimit.decorators import ratelimit
@login_required
def a(request): pass
@permission_required("shop.change_order")
def b(request): pass
@user_passes_test(lambda u: u.is_staff)
def c(request): pass
@staff_member_required
def d(request): pass
@ratelimit(key="ip", rate="5/m")
def e(request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("a/", views.a), path("b/", views.b), path("c/", views.c), path("d/", views.d), path("e/", views.e)]
"#;
        let routes = shop_app(views, urls);
        assert_eq!(ev(&route(&routes, "/a/").auth), ["route:@login_required"]);
        assert_eq!(
            ev(&route(&routes, "/b/").auth),
            [r#"route:@permission_required("shop.change_order")"#]
        );
        assert_eq!(
            ev(&route(&routes, "/c/").auth),
            ["route:@user_passes_test(…)"]
        );
        assert_eq!(
            ev(&route(&routes, "/d/").auth),
            ["route:@staff_member_required"]
        );
        let e = route(&routes, "/e/");
        assert!(e.auth.is_empty());
        assert_eq!(
            ev(&e.rate_limit),
            [r#"route:@ratelimit(key="ip", rate="5/m")"#]
        );
        // The handler is the function's name in its def line.
        assert_eq!(e.handler.location.span.start.line, 14);
    }

    #[test]
    fn wrappers_in_urls() {
        let views = r#"
from django.views.generic import View
def profile(request): pass
def edit(request): pass
def hook(request): pass
class Dashboard(View):
    def get(self, request): pass
"#;
        let urls = r#"
from django.contrib.auth.decorators import login_required, permission_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from . import views
urlpatterns = [
    path("profile/", login_required(views.profile)),
    path("edit/", permission_required("shop.edit")(views.edit)),
    path("hook/", csrf_exempt(views.hook)),
    path("dash/", login_required(views.Dashboard.as_view())),
]
"#;
        let routes = shop_app(views, urls);
        let p = route(&routes, "/profile/");
        assert_eq!(ev(&p.auth), ["route:login_required(…)"]);
        // Located at the wrapping call in urls.py.
        assert_eq!(
            p.auth[0]
                .location
                .as_ref()
                .map(|l| (l.path.as_str(), l.span.start.line)),
            Some(("shop/urls.py", 7))
        );
        assert_eq!(
            ev(&route(&routes, "/edit/").auth),
            [r#"route:permission_required("shop.edit")(…)"#]
        );
        assert!(route(&routes, "/hook/").auth.is_empty());
        let d = route(&routes, "/dash/");
        assert_eq!(d.handler.name, "Dashboard");
        assert_eq!(ev(&d.auth), ["route:login_required(…)"]);
    }

    #[test]
    fn checks_on_the_user_inside_the_view() {
        let views = r#"
from django.core.exceptions import PermissionDenied
from django.views import View
def staff_only(request):
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "x.html")
def greeting(request):
    name = request.user.username
    return render(request, "x.html", {"name": name})
class Guarded(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("shop.view_report"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
    def get(self, request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("a/", views.staff_only), path("b/", views.greeting), path("c/", views.Guarded.as_view())]
"#;
        let routes = shop_app(views, urls);
        assert_eq!(
            ev(&route(&routes, "/a/").auth),
            ["handler:staff_only() checks request.user.is_staff"]
        );
        assert!(route(&routes, "/b/").auth.is_empty());
        assert_eq!(
            ev(&route(&routes, "/c/").auth),
            [r#"class:dispatch() checks request.user.has_perm("shop.view_report")"#]
        );
    }
}
