//! DRF viewsets: their actions (from `ModelViewSet` and friends, the mixins
//! and their own methods), `@action` extra routes with their own policy, the
//! list and detail routes a router gives them, and `as_view({...})` bindings.

use super::classes::ClassInfo;
use super::classviews::{HANDLERS, class_ev, http_method_names, restrict};
use super::drf::{as_view_policy, class_policy, get_permissions_ev, policy_kwargs};
use super::policy::Policy;
use super::urls::{Mount, UrlIndex, display_path, strip_anchors};
use super::views::{Views, method_list};
use super::{Ev, Unit, ViewSpec, emit, func_ev, wraps_ev};
use crate::routes::Cx;
use archlint_model::{
    Arg, ArgsExt, Expr, ExprKind, Framework, FuncRef, MethodSet, Route, Scope, Symbol,
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
pub(super) fn base_actions(name: &str) -> &'static [&'static str] {
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
    use archlint_model::MethodSet;

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
        let routes = drf_api(views, urls);
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
        let routes = drf_api(views, urls);
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
        let routes = drf_api(views, urls);
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
}
