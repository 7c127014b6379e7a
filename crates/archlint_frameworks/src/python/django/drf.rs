//! Django REST framework views: which classes are DRF views and viewsets,
//! the methods of DRF's generic views, `@api_view` functions and their policy
//! decorators, and the policy (`permission_classes`, ...) a class, its bases,
//! `as_view(...)` or `get_permissions()` set. Viewsets are in [`super::viewsets`].

use super::Ev;
use super::classes::ClassInfo;
use super::policy::{Policy, Written};
use super::views::method_list;
use super::viewsets::base_actions;
use crate::routes::Cx;
use archlint_model::{Arg, ArgsExt, Evidence, Expr, ExprKind, Language, MethodSet, Scope, Symbol};

/// Methods of DRF's generic views, by base class name.
pub fn generic_methods(name: &str) -> Option<MethodSet> {
    use MethodSet as M;
    let update = M::PUT.union(M::PATCH);
    Some(match name {
        "ListAPIView" | "RetrieveAPIView" => M::GET,
        "CreateAPIView" | "ObtainAuthToken" => M::POST,
        // rest_framework_simplejwt
        "TokenViewBase"
        | "TokenObtainPairView"
        | "TokenRefreshView"
        | "TokenVerifyView"
        | "TokenObtainSlidingView"
        | "TokenRefreshSlidingView"
        | "TokenBlacklistView" => M::POST,
        "ListCreateAPIView" => M::GET.union(M::POST),
        "UpdateAPIView" => update,
        "DestroyAPIView" => M::DELETE,
        "RetrieveUpdateAPIView" => M::GET.union(update),
        "RetrieveDestroyAPIView" => M::GET.union(M::DELETE),
        "RetrieveUpdateDestroyAPIView" => M::GET.union(update).union(M::DELETE),
        _ => return None,
    })
}

/// Whether a class is a viewset (routes come from actions, not handler methods).
pub fn is_viewset(info: &ClassInfo) -> bool {
    info.has_external(|b| b.name.ends_with("ViewSet") || b.name == "ViewSetMixin")
}

/// Whether a class is a DRF view.
pub fn is_drf(info: &ClassInfo) -> bool {
    info.has_external(|b| {
        // `rest_framework` and its companions (`rest_framework_simplejwt`, ...).
        b.path.starts_with("rest_framework")
            || b.name.ends_with("APIView")
            || generic_methods(&b.name).is_some()
            || !base_actions(&b.name).is_empty()
    }) || is_viewset(info)
}

/// `@api_view(["GET", "POST"])`; no list means GET.
pub fn api_view_methods(d: &Expr) -> MethodSet {
    let list = d
        .as_call()
        .and_then(|(_, a)| a.positional(0).or_else(|| a.keyword("http_method_names")));
    match list.map(method_list) {
        Some(m) if !m.is_empty() => m,
        _ => MethodSet::GET,
    }
}

/// `@permission_classes([...])`, `@authentication_classes([...])`, `@throttle_classes([...])`.
pub fn function_policy(file: u32, decorators: &[Expr]) -> Policy<'_> {
    let mut p = Policy::default();
    for d in decorators {
        let Some((func, args)) = d.as_call() else {
            continue;
        };
        let Some(value) = args.positional(0) else {
            continue;
        };
        let slot = match func.last_name() {
            Some("permission_classes") => (&mut p.permission, "@permission_classes("),
            Some("authentication_classes") => (&mut p.authentication, "@authentication_classes("),
            Some("throttle_classes") => (&mut p.throttle, "@throttle_classes("),
            _ => continue,
        };
        *slot.0 = Some(Written {
            file,
            value,
            scope: Scope::Route,
            label: slot.1,
        });
    }
    p
}

/// The policy attributes a class (or its project bases) assigns.
pub fn class_policy<'p>(cx: &Cx<'_, 'p>, info: &ClassInfo<'p>) -> Policy<'p> {
    let get = |name: &str, label: &'static str| {
        info.attr(cx, name).map(|(file, value)| Written {
            file,
            value,
            scope: Scope::Class,
            label,
        })
    };
    // Views of DRF and simplejwt that set `permission_classes = ()` (token
    // views are public by design) or `throttle_classes = ()` themselves.
    let base = |pred: fn(&str) -> bool| {
        info.external
            .iter()
            .find(|b| pred(&b.name))
            .map(|b| (b.file, b.expr))
    };
    Policy {
        permission: get("permission_classes", "permission_classes = "),
        authentication: get("authentication_classes", "authentication_classes = "),
        throttle: get("throttle_classes", "throttle_classes = "),
        open_base: base(|n| {
            n == "ObtainAuthToken" || (n.starts_with("Token") && generic_methods(n).is_some())
        }),
        unthrottled_base: base(|n| n == "ObtainAuthToken"),
    }
}

/// Policy passed as `as_view(permission_classes=[...])` init arguments.
pub fn as_view_policy<'p>(file: u32, args: &'p [Arg]) -> Policy<'p> {
    policy_kwargs(file, args, Scope::Route)
}

/// `permission_classes=` / `authentication_classes=` / `throttle_classes=` keywords.
pub(super) fn policy_kwargs(file: u32, args: &[Arg], scope: Scope) -> Policy<'_> {
    let get = |name: &str, label: &'static str| {
        args.keyword(name).map(|value| Written {
            file,
            value,
            scope,
            label,
        })
    };
    Policy {
        permission: get("permission_classes", "permission_classes="),
        authentication: get("authentication_classes", "authentication_classes="),
        throttle: get("throttle_classes", "throttle_classes="),
        ..Policy::default()
    }
}

/// A `get_permissions` override decides at request time: the permission
/// classes it names count (any but `AllowAny` as auth, else `AllowAny` as public).
pub fn get_permissions_ev(cx: &Cx, info: &ClassInfo) -> Ev {
    let mut ev = Ev::default();
    let Some(f) = info.method(cx, "get_permissions") else {
        return ev;
    };
    let Some(func) = cx.index.project.func(f) else {
        return ev;
    };
    let names = cx.names(Language::Python);
    let (mut auth, mut public) = (false, false);
    archlint_model::visit::walk_stmts(&func.body, |e| {
        if let ExprKind::Call { func: callee, .. } = &e.kind {
            let Some(n) = callee.last_name() else { return };
            if names.public.classes.matches(n) {
                public = true;
            } else if names.auth.classes.matches(n) || is_project_permission(cx, f.file, callee) {
                auth = true;
            }
        }
    });
    let make = || Evidence {
        scope: Scope::Class,
        what: "get_permissions()".into(),
        location: Some(cx.location(f.file, func.name_span)),
    };
    if auth {
        ev.auth.push(make());
    } else if public {
        ev.public.push(make());
    }
    ev
}

/// Whether `callee` names a project class deriving from DRF's `BasePermission`.
fn is_project_permission(cx: &Cx, file: u32, callee: &Expr) -> bool {
    let Some(Symbol::Class(c)) = cx.index.resolve_expr(file, callee) else {
        return false;
    };
    super::classes::class_info(cx, c)
        .is_some_and(|i| i.has_external(|b| b.name == "BasePermission"))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use archlint_model::{Framework, MethodSet};

    #[test]
    fn api_view_methods_and_policy_decorators() {
        let views = r#"
from rest_framework.decorators import api_view, permission_classes, throttle_classes, authentication_classes
from rest_framework.permissions import IsAuthenticated, AllowAny
from rest_framework.throttling import AnonRateThrottle
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def orders(request): pass
@api_view()
def ping(request): pass
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def signin(request): pass
@api_view(["GET"])
@authentication_classes([TokenAuthentication])
def me(request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("orders/", views.orders), path("ping/", views.ping), path("signin/", views.signin), path("me/", views.me)]
"#;
        let routes = drf_api(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "GET /api/me/",
                "GET, POST /api/orders/",
                "GET /api/ping/",
                "POST /api/signin/"
            ]
        );
        assert!(routes.iter().all(|r| r.framework == Framework::Drf));
        assert_eq!(
            ev(&route(&routes, "/api/orders/").auth),
            ["route:@permission_classes([IsAuthenticated])"]
        );
        let s = route(&routes, "/api/signin/");
        assert!(s.auth.is_empty());
        assert_eq!(ev(&s.public), ["route:@permission_classes([AllowAny])"]);
        assert_eq!(
            ev(&s.rate_limit),
            ["route:@throttle_classes([AnonRateThrottle])"]
        );
        assert_eq!(
            ev(&route(&routes, "/api/me/").auth),
            ["route:@authentication_classes([TokenAuthentication])"]
        );
        // Function views are grouped by their urls module.
        assert_eq!(
            route(&routes, "/api/ping/").group,
            "django:urls:api/urls.py"
        );
    }

    #[test]
    fn api_view_classes_and_generic_views() {
        let views = r#"
from rest_framework import generics, permissions
from rest_framework.views import APIView
class Orders(APIView):
    permission_classes = [permissions.IsAuthenticated]
    def get(self, request): pass
    def post(self, request): pass
class A(generics.ListAPIView): pass
class B(generics.CreateAPIView): pass
class C(generics.ListCreateAPIView): pass
class D(generics.RetrieveUpdateAPIView): pass
class E(generics.RetrieveUpdateDestroyAPIView): pass
class F(generics.RetrieveDestroyAPIView): pass
class G(generics.UpdateAPIView): pass
class H(generics.DestroyAPIView): pass
class Empty(APIView): pass
"#;
        let urls = r#"
from django.urls import path
from . import views as v
urlpatterns = [
    path("orders/", v.Orders.as_view()), path("a/", v.A.as_view()), path("b/", v.B.as_view()),
    path("c/", v.C.as_view()), path("d/", v.D.as_view()), path("e/", v.E.as_view()),
    path("f/", v.F.as_view()), path("g/", v.G.as_view()), path("h/", v.H.as_view()),
    path("empty/", v.Empty.as_view()),
]
"#;
        let routes = drf_api(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "GET /api/a/",
                "POST /api/b/",
                "GET, POST /api/c/",
                "GET, PUT, PATCH /api/d/",
                "GET, PUT, PATCH, DELETE /api/e/",
                "GET, DELETE /api/f/",
                "PUT, PATCH /api/g/",
                "DELETE /api/h/",
                "GET, POST /api/orders/",
            ]
        );
        let o = route(&routes, "/api/orders/");
        assert_eq!(
            ev(&o.auth),
            ["class:permission_classes = [permissions.IsAuthenticated]"]
        );
        assert_eq!(o.group, "drf:view:api/views.py:Orders");
    }

    #[test]
    fn settings_defaults_and_overrides() {
        let settings = r#"
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
}
"#;
        let views = r#"
from rest_framework.views import APIView
from rest_framework.permissions import AllowAny
class Covered(APIView):
    def get(self, request): pass
class Open(APIView):
    permission_classes = [AllowAny]
    throttle_classes = []
    def post(self, request): pass
class Empty(APIView):
    permission_classes = []
    def get(self, request): pass
"#;
        let urls = r#"
from django.urls import path
from . import views
urlpatterns = [path("covered/", views.Covered.as_view()), path("open/", views.Open.as_view()), path("empty/", views.Empty.as_view())]
"#;
        let routes = drf_api_with_settings(settings, views, urls);
        let c = route(&routes, "/api/covered/");
        assert_eq!(
            ev(&c.auth),
            ["settings:DEFAULT_PERMISSION_CLASSES = [IsAuthenticated]"]
        );
        assert_eq!(
            ev(&c.rate_limit),
            ["settings:DEFAULT_THROTTLE_CLASSES = [UserRateThrottle]"]
        );
        let o = route(&routes, "/api/open/");
        assert!(o.auth.is_empty() && o.rate_limit.is_empty());
        assert_eq!(ev(&o.public), ["class:permission_classes = [AllowAny]"]);
        assert_eq!(
            ev(&route(&routes, "/api/empty/").public),
            ["class:permission_classes = []"]
        );
    }

    #[test]
    fn allow_any_default_is_no_evidence() {
        let settings = r#"
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.AllowAny",)}
"#;
        let views = "from rest_framework.views import APIView\nclass V(APIView):\n    def get(self, request): pass\n";
        let urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('v/', views.V.as_view())]\n";
        let routes = drf_api_with_settings(settings, views, urls);
        let r = route(&routes, "/api/v/");
        assert!(r.auth.is_empty() && r.public.is_empty());
    }

    #[test]
    fn token_views_of_drf_and_simplejwt() {
        let settings = r#"
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
}
"#;
        let views = r#"
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework_simplejwt.views import TokenObtainPairView
class Jwt(TokenObtainPairView): pass
class Legacy(ObtainAuthToken): pass
"#;
        let urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('jwt/', views.Jwt.as_view()), path('legacy/', views.Legacy.as_view())]\n";
        let routes = drf_api_with_settings(settings, views, urls);
        let jwt = route(&routes, "/api/jwt/");
        assert_eq!(
            (jwt.methods, jwt.framework),
            (MethodSet::POST, Framework::Drf)
        );
        assert!(jwt.auth.is_empty());
        assert_eq!(
            ev(&jwt.public),
            ["class:TokenObtainPairView (permission_classes = ())"]
        );
        assert_eq!(jwt.rate_limit.len(), 1);
        // DRF's ObtainAuthToken also sets `throttle_classes = ()`.
        assert!(route(&routes, "/api/legacy/").rate_limit.is_empty());
    }

    #[test]
    fn settings_spelled_with_update_dict_and_unreadable_values() {
        let settings = r#"
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = dict(DEFAULT_THROTTLE_CLASSES=["rest_framework.throttling.UserRateThrottle"])
REST_FRAMEWORK.update({"DEFAULT_PERMISSION_CLASSES": env.list("API_PERMISSIONS")})
"#;
        let views = r#"
from rest_framework.settings import api_settings
from rest_framework.views import APIView
class A(APIView):
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    def get(self, request): pass
class B(APIView):
    permission_classes = load_permissions()
    def post(self, request): pass
"#;
        let urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('a/', views.A.as_view()), path('b/', views.B.as_view())]\n";
        let routes = drf_api_with_settings(settings, views, urls);
        let a = route(&routes, "/api/a/");
        assert_eq!(
            ev(&a.auth),
            [r#"settings:DEFAULT_PERMISSION_CLASSES = env.list("API_PERMISSIONS")"#]
        );
        assert_eq!(
            ev(&a.rate_limit),
            ["settings:DEFAULT_THROTTLE_CLASSES = [UserRateThrottle]"]
        );
        assert_eq!(
            ev(&route(&routes, "/api/b/").auth),
            ["class:permission_classes = load_permissions()"]
        );
    }
}
