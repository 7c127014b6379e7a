//! Django views reached from the URL configuration: wrappers written in
//! urls.py (`login_required(views.f)`), function views with their method
//! decorators, and class-based views (`V.as_view()`) with their handler
//! methods, generic bases, mixins and `method_decorator`s. DRF views are
//! handed to [`super::drf`].

use super::classes::{ClassInfo, class_info};
use super::settings::{Settings, strings};
use super::urls::ViewEndpoint;
use super::{Ev, Unit, ViewSpec, classify, drf, emit, func_ev, method_decorator, wraps_ev};
use crate::routes::{Cx, short};
use archlint_model::{
    Arg, ArgsExt, ClassRef, Evidence, Expr, ExprKind, Framework, FuncRef, Language, MethodSet,
    Route, Scope, Symbol,
};
use std::collections::HashMap;
use std::rc::Rc;

/// HTTP handler method names of class-based views.
pub const HANDLERS: [(&str, MethodSet); 6] = [
    ("get", MethodSet::GET),
    ("post", MethodSet::POST),
    ("put", MethodSet::PUT),
    ("patch", MethodSet::PATCH),
    ("delete", MethodSet::DELETE),
    ("head", MethodSet::HEAD),
];

/// Methods of Django's generic views, by base class name; `true` for the
/// authentication views that are public by design (they carry
/// `login_not_required` in Django).
fn django_generic(name: &str) -> Option<(MethodSet, bool)> {
    let get = MethodSet::GET;
    let form = MethodSet::GET.union(MethodSet::POST);
    Some(match name {
        "TemplateView"
        | "ListView"
        | "DetailView"
        | "ArchiveIndexView"
        | "YearArchiveView"
        | "MonthArchiveView"
        | "WeekArchiveView"
        | "DayArchiveView"
        | "TodayArchiveView"
        | "DateDetailView"
        | "BaseListView"
        | "BaseDetailView"
        | "PasswordChangeDoneView" => (get, false),
        "PasswordResetDoneView" | "PasswordResetCompleteView" => (get, true),
        "CreateView" | "UpdateView" | "FormView" | "BaseCreateView" | "BaseUpdateView"
        | "BaseFormView" | "ProcessFormView" | "PasswordChangeView" => (form, false),
        "LoginView" | "PasswordResetView" | "PasswordResetConfirmView" => (form, true),
        "LogoutView" => (MethodSet::POST, false),
        "DeleteView" | "BaseDeleteView" => (form.union(MethodSet::DELETE), false),
        "RedirectView" => (MethodSet::ANY, false),
        _ => return None,
    })
}

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
            classes: HashMap::new(),
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
                    if let Some(spec) = drf::viewset_as_view(self, &info, args, wrap) {
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

    fn path_of(&self, file: u32) -> &'p str {
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
                    drf::function_policy(cx, f.file, &func.decorators).evidence(cx, self.settings),
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
    fn django_settings_ev(&self, ev: &mut Ev) {
        if !ev.login_not_required() {
            ev.auth.extend(self.settings.login_required.clone());
        }
    }

    /// A class-based view (Django or DRF `APIView`) used through `as_view(...)`.
    pub fn class_view(
        &mut self,
        info: &ClassInfo<'p>,
        as_view: &'p [Arg],
        wrap: Ev,
        group: String,
    ) -> Option<ViewSpec> {
        let cx = self.cx;
        let is_drf = drf::is_drf(info);
        let cls = cx.index.project.class(info.class)?;
        let mut base = wrap;
        base.extend(class_ev(cx, info));
        let mut units = Vec::new();
        let generic: MethodSet = info
            .external
            .iter()
            .filter_map(|b| {
                if is_drf {
                    drf::generic_methods(&b.name)
                } else {
                    django_generic(&b.name).map(|g| g.0)
                }
            })
            .fold(MethodSet::EMPTY, MethodSet::union);
        if !is_drf
            && let Some(b) = info
                .external
                .iter()
                .find(|b| django_generic(&b.name).is_some_and(|g| g.1))
        {
            base.public.push(Evidence {
                scope: Scope::Class,
                what: format!("{} (public by design)", b.name),
                location: Some(cx.location(info.class.file, cls.name_span)),
            });
        }
        let every = generic.contains(MethodSet::ANY);
        for (name, m) in HANDLERS {
            let own = info.method(cx, name);
            if own.is_none() && !generic.contains(m) {
                continue;
            }
            let mut ev = method_ev(cx, info, name);
            if let Some(f) = own {
                ev.extend(func_ev(cx, f, Scope::Route));
            }
            // Django answers HEAD with `get` when no `head` is defined.
            let methods = if m == MethodSet::GET && !is_drf && info.method(cx, "head").is_none() {
                m.union(MethodSet::HEAD)
            } else {
                m
            };
            units.push(Unit {
                methods,
                funcs: own.into_iter().collect(),
                ev,
            });
        }
        if every {
            // `RedirectView` answers every method, whatever it overrides.
            let funcs = units.drain(..).flat_map(|u| u.funcs).collect();
            units.push(Unit {
                methods: MethodSet::ANY,
                funcs,
                ev: Ev::default(),
            });
        } else if units.is_empty() && !is_drf {
            // A `View` with no handler we can see: any method, as Django would dispatch it.
            units.push(Unit {
                methods: MethodSet::ANY,
                funcs: Vec::new(),
                ev: Ev::default(),
            });
        }
        let allowed = http_method_names(cx, info, as_view);
        restrict(&mut units, allowed);
        let shared = info
            .methods(cx)
            .into_iter()
            .filter(|(n, _)| !HANDLERS.iter().any(|(h, _)| h == n))
            .map(|(_, f)| f)
            .collect();
        let (framework, group) = if is_drf {
            let policy = drf::class_policy(cx, info)
                .overridden_by(drf::as_view_policy(info.class.file, as_view));
            base.extend(policy.evidence(cx, self.settings));
            base.extend(drf::get_permissions_ev(cx, info));
            (
                Framework::Drf,
                format!("drf:view:{}:{}", self.path_of(info.class.file), info.name),
            )
        } else {
            self.django_settings_ev(&mut base);
            (Framework::Django, group)
        };
        base.rate.extend(self.settings.rate_limit.clone());
        Some(ViewSpec {
            framework,
            name: info.name.to_string(),
            location: cx.location(info.class.file, cls.name_span),
            group,
            base,
            units,
            shared,
        })
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

/// `http_method_names` from `as_view(...)` or the class hierarchy.
pub fn http_method_names(cx: &Cx, info: &ClassInfo, as_view: &[Arg]) -> Option<MethodSet> {
    let value = as_view
        .keyword("http_method_names")
        .or_else(|| info.attr(cx, "http_method_names").map(|(_, v)| v))?;
    let set = method_list(value);
    // An unreadable value restricts nothing we can tell.
    if strings(value).is_empty() {
        None
    } else {
        Some(set)
    }
}

/// Drops what `http_method_names` does not allow; `ANY` becomes the allowed set.
pub fn restrict(units: &mut Vec<Unit>, allowed: Option<MethodSet>) {
    let Some(allowed) = allowed else { return };
    for u in units.iter_mut() {
        u.methods = intersect(u.methods, allowed);
    }
    units.retain(|u| !u.methods.is_empty());
}

/// Class-wide evidence: auth/public/rate-limit mixins among the bases (also
/// through project base classes), class decorators that apply to `dispatch`
/// (or to the whole class), and decorators on `dispatch`.
pub fn class_ev(cx: &Cx, info: &ClassInfo) -> Ev {
    let names = cx.names(Language::Python);
    let mut ev = Ev::default();
    for &(file, base) in &info.bases {
        let Some(n) = base.last_name() else { continue };
        let make = || Evidence {
            scope: Scope::Class,
            what: short(base),
            location: Some(cx.location(file, base.span)),
        };
        if names.auth.classes.matches(n) {
            ev.auth.push(make());
        }
        if names.public.classes.matches(n) {
            ev.public.push(make());
        }
        if names.rate_limit.classes.matches(n) {
            ev.rate.push(make());
        }
    }
    for &c in &info.mro {
        let Some(cls) = cx.index.project.class(c) else {
            continue;
        };
        for d in &cls.decorators {
            match method_decorator(d) {
                Some((inner, name)) => {
                    if name.is_none_or(|n| n == "dispatch") {
                        for i in inner {
                            classify(
                                cx,
                                c.file,
                                i,
                                || format!("@method_decorator({})", short(i)),
                                Scope::Class,
                                d,
                                &mut ev,
                            );
                        }
                    }
                }
                None => classify(
                    cx,
                    c.file,
                    d,
                    || format!("@{}", short(d)),
                    Scope::Class,
                    d,
                    &mut ev,
                ),
            }
        }
    }
    if let Some(f) = info.method(cx, "dispatch") {
        ev.extend(func_ev(cx, f, Scope::Class));
    }
    ev
}

/// Evidence for one handler method from class decorators that name it
/// (`@method_decorator(ratelimit(...), name="post")`).
pub fn method_ev(cx: &Cx, info: &ClassInfo, method: &str) -> Ev {
    let mut ev = Ev::default();
    for &c in &info.mro {
        let Some(cls) = cx.index.project.class(c) else {
            continue;
        };
        for d in &cls.decorators {
            if let Some((inner, Some(name))) = method_decorator(d)
                && name == method
            {
                for i in inner {
                    classify(
                        cx,
                        c.file,
                        i,
                        || format!("@method_decorator({})", short(i)),
                        Scope::Class,
                        d,
                        &mut ev,
                    );
                }
            }
        }
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use archlint_model::{Framework, MethodSet, Scope};

    fn app(views: &str, urls: &str) -> Vec<archlint_model::Route> {
        routes_of(&[("shop/views.py", views), ("shop/urls.py", urls)])
    }

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
        let routes = app(views, urls);
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
        let routes = app(views, urls);
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
        let routes = app(views, urls);
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
    fn class_views_methods_from_handlers_and_generic_bases() {
        let views = r#"
from django.views import View
from django.views.generic import TemplateView, ListView, CreateView, DeleteView, RedirectView, UpdateView
class Own(View):
    def get(self, request): pass
    def post(self, request): pass
    def helper(self): pass
class About(TemplateView):
    template_name = "about.html"
class Orders(ListView):
    def get_queryset(self): pass
class NewOrder(CreateView): pass
class DropOrder(DeleteView): pass
class Go(RedirectView): pass
class Bare(View): pass
class Restricted(UpdateView):
    http_method_names = ["get"]
"#;
        let urls = r#"
from django.urls import path
from django.views.generic import TemplateView
from . import views
urlpatterns = [
    path("own/", views.Own.as_view()), path("about/", views.About.as_view()),
    path("orders/", views.Orders.as_view()), path("new/", views.NewOrder.as_view()),
    path("drop/", views.DropOrder.as_view()), path("go/", views.Go.as_view()),
    path("bare/", views.Bare.as_view()), path("restricted/", views.Restricted.as_view()),
    path("external/", TemplateView.as_view(template_name="x.html")),
]
"#;
        let routes = app(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "GET, HEAD /about/",
                "ANY /bare/",
                "GET, POST, DELETE, HEAD /drop/",
                "ANY /go/",
                "GET, POST, HEAD /new/",
                "GET, HEAD /orders/",
                "GET, POST, HEAD /own/",
                // `http_method_names` without "head" refuses HEAD.
                "GET /restricted/",
            ]
        );
        let own = route(&routes, "/own/");
        assert_eq!(own.handler.name, "Own");
        // get, post and the helper run for the route.
        assert_eq!(own.handler.funcs.len(), 3);
        assert_eq!(own.handler.location.span.start.line, 4);
        // Helpers of generic views are what runs.
        assert_eq!(route(&routes, "/orders/").handler.funcs.len(), 1);
    }

    #[test]
    fn mixins_and_project_base_classes() {
        let base = r#"
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views import View
class BaseView(LoginRequiredMixin, View):
    pass
class StaffView(BaseView):
    pass
"#;
        let views = r#"
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import ListView
from shop.base import StaffView
class Orders(StaffView, ListView):
    pass
class Perms(PermissionRequiredMixin, ListView):
    permission_required = "shop.view_order"
class Open(ListView):
    pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("orders/", views.Orders.as_view()), path("perms/", views.Perms.as_view()), path("open/", views.Open.as_view())]
"#;
        let routes = routes_of(&[
            ("shop/base.py", base),
            ("shop/views.py", views),
            ("shop/urls.py", urls),
        ]);
        let o = route(&routes, "/orders/");
        assert_eq!(ev(&o.auth), ["class:LoginRequiredMixin"]);
        assert_eq!(
            o.auth[0].location.as_ref().map(|l| l.path.as_str()),
            Some("shop/base.py")
        );
        assert_eq!(
            ev(&route(&routes, "/perms/").auth),
            ["class:PermissionRequiredMixin"]
        );
        assert!(route(&routes, "/open/").auth.is_empty());
        assert_eq!(route(&routes, "/open/").group, "django:urls:shop/urls.py");
    }

    #[test]
    fn method_decorator_on_class_and_dispatch() {
        let views = r#"
from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit
@method_decorator(login_required, name="dispatch")
class A(View):
    def get(self, request): pass
class B(View):
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs): pass
    def get(self, request): pass
@method_decorator(ratelimit(key="ip", rate="5/m"), name="post")
class Login(View):
    def get(self, request): pass
    def post(self, request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("a/", views.A.as_view()), path("b/", views.B.as_view()), path("signin/", views.Login.as_view())]
"#;
        let routes = app(views, urls);
        assert_eq!(
            ev(&route(&routes, "/a/").auth),
            ["class:@method_decorator(login_required)"]
        );
        assert_eq!(
            ev(&route(&routes, "/b/").auth),
            ["class:@method_decorator(login_required)"]
        );
        // The limit covers POST only: GET and POST become separate routes.
        let get = route_m(&routes, "/signin/", MethodSet::GET);
        let post = route_m(&routes, "/signin/", MethodSet::POST);
        assert_eq!(get.methods, MethodSet::GET.union(MethodSet::HEAD));
        assert!(get.rate_limit.is_empty());
        assert_eq!(post.methods, MethodSet::POST);
        assert_eq!(post.rate_limit[0].scope, Scope::Class);
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
        let routes = app(views, urls);
        assert_eq!(
            ev(&route(&routes, "/a/").auth),
            ["route:staff_only() checks request.user.is_staff"]
        );
        assert!(route(&routes, "/b/").auth.is_empty());
        assert_eq!(
            ev(&route(&routes, "/c/").auth),
            [r#"class:dispatch() checks request.user.has_perm("shop.view_report")"#]
        );
    }
}
