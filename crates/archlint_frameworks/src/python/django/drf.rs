//! Django REST framework: `@api_view` functions and their policy decorators,
//! `APIView`/generic view classes, viewsets (their actions from bases, mixins
//! and own methods, `@action` extra routes) registered on routers or bound with
//! `as_view({...})`, and the policy (`permission_classes`, ...) of each.

use super::classes::ClassInfo;
use super::policy::{Policy, Written};
use super::urls::{Mount, UrlIndex, display_path, strip_anchors};
use super::views::{HANDLERS, Views, class_ev, http_method_names, method_list, restrict};
use super::{Ev, Unit, ViewSpec, emit, func_ev, wraps_ev};
use crate::routes::Cx;
use archlint_model::{
    Arg, ArgsExt, Evidence, Expr, ExprKind, Framework, FuncRef, Language, MethodSet, Route, Scope,
    Symbol,
};

/// Viewset actions: name, method, whether on the detail route.
const ACTIONS: [(&str, MethodSet, bool); 6] = [
    ("list", MethodSet::GET, false),
    ("create", MethodSet::POST, false),
    ("retrieve", MethodSet::GET, true),
    ("update", MethodSet::PUT, true),
    ("partial_update", MethodSet::PATCH, true),
    ("destroy", MethodSet::DELETE, true),
];

/// Actions a DRF base class or mixin provides.
fn base_actions(name: &str) -> &'static [&'static str] {
    match name {
        "ModelViewSet" => &[
            "list",
            "create",
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        ],
        "ReadOnlyModelViewSet" => &["list", "retrieve"],
        "CreateModelMixin" => &["create"],
        "ListModelMixin" => &["list"],
        "RetrieveModelMixin" => &["retrieve"],
        "UpdateModelMixin" => &["update", "partial_update"],
        "DestroyModelMixin" => &["destroy"],
        _ => &[],
    }
}

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
pub fn function_policy<'p>(_cx: &Cx, file: u32, decorators: &'p [Expr]) -> Policy<'p> {
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
fn policy_kwargs(file: u32, args: &[Arg], scope: Scope) -> Policy<'_> {
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

/// An `@action` (or old `@detail_route` / `@list_route`) method.
struct Extra<'p> {
    name: &'p str,
    func: FuncRef,
    detail: bool,
    methods: MethodSet,
    url_path: String,
    args: &'p [Arg],
    /// `@<action>.mapping.post` methods: method and function.
    mapped: Vec<(MethodSet, FuncRef)>,
}

fn extras<'p>(cx: &Cx<'_, 'p>, info: &ClassInfo<'p>) -> Vec<Extra<'p>> {
    let mut out: Vec<Extra<'p>> = Vec::new();
    let mut mapped: Vec<(String, MethodSet, FuncRef)> = Vec::new();
    for (name, f) in info.methods(cx) {
        let Some(func) = cx.index.project.func(f) else {
            continue;
        };
        for d in &func.decorators {
            // `@set_password.mapping.delete`
            if let ExprKind::Attr(inner, method) = &d.kind
                && let ExprKind::Attr(action, m) = &inner.kind
                && m == "mapping"
            {
                if let (Some(a), Some(ms)) = (action.last_name(), MethodSet::parse(method)) {
                    mapped.push((a.to_string(), ms, f));
                }
                continue;
            }
            let (detail, args): (Option<bool>, &'p [Arg]) = match d.last_name() {
                Some("action") => (None, d.as_call().map(|(_, a)| a).unwrap_or(&[])),
                Some("detail_route") => (Some(true), d.as_call().map(|(_, a)| a).unwrap_or(&[])),
                Some("list_route") => (Some(false), d.as_call().map(|(_, a)| a).unwrap_or(&[])),
                _ => continue,
            };
            let detail = detail.unwrap_or(matches!(
                args.keyword("detail").map(|e| &e.kind),
                Some(ExprKind::Bool(true))
            ));
            let methods = match args.keyword("methods").map(method_list) {
                Some(m) if !m.is_empty() => m,
                _ => MethodSet::GET,
            };
            let url_path = args
                .keyword("url_path")
                .and_then(Expr::as_str)
                .unwrap_or(name)
                .to_string();
            out.push(Extra {
                name,
                func: f,
                detail,
                methods,
                url_path,
                args,
                mapped: Vec::new(),
            });
        }
    }
    for (action, m, f) in mapped {
        if let Some(e) = out.iter_mut().find(|e| e.name == action) {
            e.mapped.push((m, f));
        }
    }
    out
}

/// Standard actions a viewset has: from DRF bases and mixins, and its own methods.
fn standard_actions(
    cx: &Cx,
    info: &ClassInfo,
) -> Vec<(&'static str, MethodSet, bool, Option<FuncRef>)> {
    ACTIONS
        .iter()
        .filter_map(|&(name, m, detail)| {
            let own = info.method(cx, name);
            let inherited = info
                .external
                .iter()
                .any(|b| base_actions(&b.name).contains(&name));
            (own.is_some() || inherited).then_some((name, m, detail, own))
        })
        .collect()
}

/// Evidence for one action: decorators on its method plus the policy (the
/// class's, overridden by `@action(permission_classes=...)`).
fn action_ev<'p>(v: &Views<'_, '_, 'p>, f: Option<FuncRef>, policy: Policy<'p>) -> Ev {
    let cx = v.cx;
    let mut ev = policy.evidence(cx, v.settings);
    if let Some(f) = f {
        ev.extend(func_ev(cx, f, Scope::Route));
    }
    ev
}

/// The parts of a viewset's spec shared by all its routes.
fn viewset_base<'p>(v: &Views<'_, '_, 'p>, info: &ClassInfo<'p>) -> Option<(ViewSpec, Policy<'p>)> {
    let cx = v.cx;
    let cls = cx.index.project.class(info.class)?;
    let mut base = class_ev(cx, info);
    base.extend(get_permissions_ev(cx, info));
    base.rate.extend(v.settings.rate_limit.clone());
    let action_names: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
    let extra_names: Vec<&str> = extras(cx, info)
        .iter()
        .flat_map(|e| std::iter::once(e.func).chain(e.mapped.iter().map(|m| m.1)))
        .filter_map(|f| cx.index.project.func(f).map(|x| x.name.as_str()))
        .collect();
    let shared = info
        .methods(cx)
        .into_iter()
        .filter(|(n, _)| {
            !action_names.contains(n)
                && !extra_names.contains(n)
                && !HANDLERS.iter().any(|(h, _)| h == n)
        })
        .map(|(_, f)| f)
        .collect();
    let path = cx
        .index
        .project
        .file(info.class.file)
        .map(|f| f.path.as_str())
        .unwrap_or("");
    let spec = ViewSpec {
        framework: Framework::Drf,
        name: info.name.to_string(),
        location: cx.location(info.class.file, cls.name_span),
        group: format!("drf:viewset:{path}:{}", info.name),
        base,
        units: Vec::new(),
        shared,
    };
    Some((spec, class_policy(cx, info)))
}

/// Routes of the viewsets registered on a router mounted at `mount`.
pub fn router_routes(v: &mut Views, index: &UrlIndex, mount: &Mount, out: &mut Vec<Route>) {
    let cx = v.cx;
    let Some(router) = index.routers.get(&mount.router) else {
        return;
    };
    for reg in &router.registrations {
        let Some(Symbol::Class(c)) = cx.index.resolve_expr(reg.file, reg.viewset) else {
            continue;
        };
        let Some(info) = v.class(c) else { continue };
        let Some((mut spec, policy)) = viewset_base(v, &info) else {
            continue;
        };
        spec.base.extend(wraps_ev(cx, &mount.wraps));
        let registration = Some(cx.location(reg.file, reg.span));
        let allowed = http_method_names(cx, &info, &[]);
        let lookup = lookup_name(cx, &info);
        let base = format!("{}{}", router.nested, strip_anchors(&reg.prefix));
        let path = |rest: &str| {
            let tail = format!("{rest}{}", router.trailing);
            let joined = if base.is_empty() {
                tail.trim_start_matches('/').to_string()
            } else {
                format!("{base}{tail}")
            };
            display_path(&format!("{}{joined}", mount.prefix))
        };
        let standard = standard_actions(cx, &info);
        for detail in [false, true] {
            let mut units: Vec<Unit> = standard
                .iter()
                .filter(|a| a.2 == detail)
                .map(|&(_, m, _, f)| Unit {
                    methods: m,
                    funcs: f.into_iter().collect(),
                    ev: action_ev(v, f, policy),
                })
                .collect();
            restrict(&mut units, allowed);
            let p = if detail {
                path(&format!("/{{{lookup}}}"))
            } else {
                path("")
            };
            emit(
                &ViewSpec {
                    units,
                    ..spec.clone_shell()
                },
                &p,
                registration.clone(),
                out,
            );
        }
        for e in extras(cx, &info) {
            let over = policy.overridden_by(policy_kwargs(e.func.file, e.args, Scope::Route));
            let mut units = vec![Unit {
                methods: e.methods,
                funcs: vec![e.func],
                ev: action_ev(v, Some(e.func), over),
            }];
            for &(m, f) in &e.mapped {
                units.push(Unit {
                    methods: m,
                    funcs: vec![f],
                    ev: action_ev(v, Some(f), over),
                });
            }
            let rest = if e.detail {
                format!("/{{{lookup}}}/{}", e.url_path)
            } else {
                format!("/{}", e.url_path)
            };
            emit(
                &ViewSpec {
                    units,
                    ..spec.clone_shell()
                },
                &path(&rest),
                registration.clone(),
                out,
            );
        }
    }
}

/// A viewset bound in urls.py with `as_view({"get": "list", "post": "create"})`.
pub fn viewset_as_view<'p>(
    v: &mut Views<'_, '_, 'p>,
    info: &ClassInfo<'p>,
    args: &'p [Arg],
    wrap: Ev,
) -> Option<ViewSpec> {
    let cx = v.cx;
    let ExprKind::Dict(pairs) = &args.positional(0)?.kind else {
        return None;
    };
    let (mut spec, policy) = viewset_base(v, info)?;
    spec.base.extend(wrap);
    let policy = policy.overridden_by(as_view_policy(info.class.file, args));
    let extra = extras(cx, info);
    for (k, val) in pairs {
        let (Some(m), Some(action)) = (k.as_str().and_then(MethodSet::parse), val.as_str()) else {
            continue;
        };
        let f = info.method(cx, action);
        let over = match extra.iter().find(|e| e.name == action) {
            Some(e) => policy.overridden_by(policy_kwargs(e.func.file, e.args, Scope::Route)),
            None => policy,
        };
        spec.units.push(Unit {
            methods: m,
            funcs: f.into_iter().collect(),
            ev: action_ev(v, f, over),
        });
    }
    Some(spec)
}

/// The detail route's parameter: `lookup_url_kwarg`, else `lookup_field`, else `pk`.
fn lookup_name(cx: &Cx, info: &ClassInfo) -> String {
    ["lookup_url_kwarg", "lookup_field"]
        .iter()
        .find_map(|a| {
            info.attr(cx, a)
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        })
        .unwrap_or_else(|| "pk".to_string())
}

impl ViewSpec {
    /// The spec without units, to fill per route.
    fn clone_shell(&self) -> ViewSpec {
        ViewSpec {
            framework: self.framework,
            name: self.name.clone(),
            location: self.location.clone(),
            group: self.group.clone(),
            base: self.base.clone(),
            units: Vec::new(),
            shared: self.shared.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use archlint_model::{Framework, MethodSet};

    const ROOT: &str = r#"
from django.urls import include, path
urlpatterns = [path("api/", include("api.urls"))]
"#;

    fn api(views: &str, urls: &str) -> Vec<archlint_model::Route> {
        routes_of(&[
            ("proj/urls.py", ROOT),
            ("api/views.py", views),
            ("api/urls.py", urls),
        ])
    }

    fn api_with_settings(settings: &str, views: &str, urls: &str) -> Vec<archlint_model::Route> {
        routes_of(&[
            ("proj/settings.py", settings),
            ("proj/urls.py", ROOT),
            ("api/views.py", views),
            ("api/urls.py", urls),
        ])
    }

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
        let routes = api(views, urls);
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
        let routes = api(views, urls);
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
    fn viewsets_on_routers() {
        let views = r#"
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, AllowAny
from rest_framework.throttling import UserRateThrottle
class OrderViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
    def get_queryset(self): pass
    @action(detail=True, methods=["post"], url_path="set-password", permission_classes=[AllowAny], throttle_classes=[UserRateThrottle])
    def set_password(self, request, pk=None): pass
    @action(detail=False)
    def recent(self, request): pass
class TagViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
class NoteViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet): pass
class StatsViewSet(viewsets.ViewSet):
    def list(self, request): pass
    def retrieve(self, request, pk=None): pass
"#;
        let urls = r#"
from django.urls import include, path
from rest_framework import routers
from rest_framework.routers import SimpleRouter
from . import views
router = routers.DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")
router.register("tags", views.TagViewSet)
flat = SimpleRouter(trailing_slash=False)
flat.register(r"notes", views.NoteViewSet)
urlpatterns = [path("v1/", include(router.urls))]
urlpatterns += flat.urls
urlpatterns.append(path("stats/", include((SimpleRouter().urls, "x"))))
stats = SimpleRouter()
stats.register("stats", views.StatsViewSet)
urlpatterns += [path("", include(stats.urls))]
"#;
        let routes = api(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "GET, POST /api/notes",
                "GET /api/stats/",
                "GET /api/stats/{pk}/",
                "GET, POST /api/v1/orders/",
                "GET /api/v1/orders/recent/",
                "GET, PUT, PATCH, DELETE /api/v1/orders/{pk}/",
                "POST /api/v1/orders/{pk}/set-password/",
                "GET /api/v1/tags/",
                "GET /api/v1/tags/{slug}/",
            ]
        );
        let list = route(&routes, "/api/v1/orders/");
        assert_eq!(list.handler.name, "OrderViewSet");
        assert_eq!(list.group, "drf:viewset:api/views.py:OrderViewSet");
        assert_eq!(
            ev(&list.auth),
            ["class:permission_classes = [IsAuthenticated]"]
        );
        // get_queryset runs for the standard routes; the extra actions do not.
        assert_eq!(list.handler.funcs.len(), 1);
        assert_eq!(
            list.registration.as_ref().map(|l| l.span.start.line),
            Some(7)
        );
        let sp = route(&routes, "/api/v1/orders/{pk}/set-password/");
        assert!(sp.auth.is_empty());
        assert_eq!(ev(&sp.public), ["route:permission_classes=[AllowAny]"]);
        assert_eq!(
            ev(&sp.rate_limit),
            ["route:throttle_classes=[UserRateThrottle]"]
        );
        assert_eq!(
            ev(&route(&routes, "/api/v1/orders/recent/").auth),
            ["class:permission_classes = [IsAuthenticated]"]
        );
        assert!(route(&routes, "/api/notes").auth.is_empty());
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
        let routes = api_with_settings(settings, views, urls);
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
        let routes = api_with_settings(settings, views, urls);
        let r = route(&routes, "/api/v/");
        assert!(r.auth.is_empty() && r.public.is_empty());
    }

    #[test]
    fn inherited_policy_and_project_permission_classes() {
        let views = r#"
from rest_framework import viewsets, permissions
class IsOwner(permissions.BasePermission):
    def has_object_permission(self, request, view, obj): pass
class Base(viewsets.GenericViewSet):
    permission_classes = (IsOwner,)
class Items(Base):
    def list(self, request): pass
class Dynamic(viewsets.ModelViewSet):
    def get_permissions(self):
        if self.action == "list":
            return [permissions.AllowAny()]
        return [IsOwner()]
"#;
        let urls = r#"
from rest_framework.routers import DefaultRouter
from . import views
router = DefaultRouter()
router.register("items", views.Items)
router.register("dyn", views.Dynamic)
urlpatterns = router.urls
"#;
        let routes = api(views, urls);
        assert_eq!(
            ev(&route(&routes, "/api/items/").auth),
            ["class:permission_classes = [IsOwner]"]
        );
        assert_eq!(
            ev(&route(&routes, "/api/dyn/").auth),
            ["class:get_permissions()"]
        );
    }

    #[test]
    fn viewset_as_view_with_actions_and_nested_router() {
        let views = r#"
from rest_framework import viewsets
class OrderViewSet(viewsets.ModelViewSet): pass
class ItemViewSet(viewsets.ModelViewSet):
    def perform_create(self, serializer): pass
"#;
        let urls = r#"
from django.urls import include, path
from rest_framework_nested import routers
from . import views
router = routers.SimpleRouter()
router.register(r"orders", views.OrderViewSet)
items = routers.NestedSimpleRouter(router, r"orders", lookup="order")
items.register(r"items", views.ItemViewSet, basename="order-items")
urlpatterns = [
    path("", include(router.urls)),
    path("", include(items.urls)),
    path("mine/", views.OrderViewSet.as_view({"get": "list", "post": "create"})),
]
"#;
        let routes = api(views, urls);
        assert_eq!(
            paths(&routes),
            [
                "GET, POST /api/mine/",
                "GET, POST /api/orders/",
                "GET, POST /api/orders/{order_pk}/items/",
                "GET, PUT, PATCH, DELETE /api/orders/{order_pk}/items/{pk}/",
                "GET, PUT, PATCH, DELETE /api/orders/{pk}/",
            ]
        );
        let mine = route(&routes, "/api/mine/");
        assert_eq!(mine.methods, MethodSet::GET.union(MethodSet::POST));
        assert_eq!(mine.handler.name, "OrderViewSet");
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
        let routes = api_with_settings(settings, views, urls);
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
        let routes = api_with_settings(settings, views, urls);
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
