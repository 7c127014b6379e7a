//! Class-based views used through `as_view(...)`, Django's and DRF's
//! `APIView`s: their methods (handler methods of the class and its project
//! bases, generic bases, `http_method_names`), class-wide evidence (mixins,
//! class decorators, `dispatch`) and per-method evidence.

use super::classes::ClassInfo;
use super::settings::strings;
use super::views::{Views, intersect, method_list};
use super::{Ev, Unit, ViewSpec, classify, drf, func_ev, method_decorator};
use crate::routes::{Cx, short};
use archlint_model::{Arg, ArgsExt, Evidence, Framework, Language, MethodSet, Scope};

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

impl<'p> Views<'_, '_, 'p> {
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
    use archlint_model::{MethodSet, Scope};

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
        let routes = shop_app(views, urls);
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
        let routes = shop_app(views, urls);
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
}
