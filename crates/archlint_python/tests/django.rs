//! Django and DRF: `urls.py` route tables, class-based views and viewsets with
//! class-level configuration, nested `Meta` classes.

mod common;
use archlint_model::{ArgsExt, Container, ExprKind, ParamKind};
use common::*;

const URLS: &str = r#"
from django.urls import include, path, re_path
from . import views

urlpatterns = [
    path("orders/<int:pk>/", views.OrderDetail.as_view(), name="order-detail"),
    re_path(r"^legacy/(?P<id>\d+)/$", views.legacy),
    path("api/", include("api.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("__debug__/", include(debug_toolbar.urls))]
"#;

#[test]
fn urlpatterns() {
    let f = facts(URLS);
    let ExprKind::List(routes) = &assigned(&f.module_stmts, "urlpatterns").kind else {
        panic!()
    };
    let shown: Vec<_> = routes.iter().map(show).collect();
    assert_eq!(
        shown,
        [
            r#"path("orders/<int:pk>/", views.OrderDetail.as_view(), name="order-detail")"#,
            r#"re_path("^legacy/(?P<id>\\d+)/$", views.legacy)"#,
            r#"path("api/", include("api.urls"))"#,
        ]
    );
    // The raw string keeps its backslash.
    let (_, args) = call(&routes[1]);
    assert_eq!(
        str_of(args.positional(0).unwrap()),
        r"^legacy/(?P<id>\d+)/$"
    );
    // Statements of a module-level `if` are module statements, after its condition.
    let stmts = show_stmts(&f.module_stmts);
    assert_eq!(stmts[1], "settings.DEBUG");
    assert_eq!(
        stmts[2],
        r#"urlpatterns op= [path("__debug__/", include(debug_toolbar.urls))]"#
    );
}

const VIEWS: &str = r#"
from rest_framework import permissions, viewsets
from django.contrib.auth.mixins import LoginRequiredMixin

class OrderViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = Order.objects.select_related("customer").all()
    http_method_names = ["get", "post"]
    serializer_class = OrderSerializer

    def get_queryset(self):
        return self.queryset.filter(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        order.cancel()
        return Response(status=204)

class Dashboard(LoginRequiredMixin, View, metaclass=Meta):
    login_url = "/login/"

class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "created"])]

    @classmethod
    def create(cls, **kw):
        pass
"#;

#[test]
fn drf_viewset_configuration() {
    let f = facts(VIEWS);
    let vs = class(&f, "OrderViewSet");
    assert_eq!(dotted(&vs.bases[0].value), "viewsets.ModelViewSet");
    assert_eq!(
        show(assigned(&vs.body, "permission_classes")),
        "[permissions.IsAuthenticated]"
    );
    assert_eq!(
        show(assigned(&vs.body, "queryset")),
        r#"Order.objects.select_related("customer").all()"#
    );
    assert_eq!(
        show(assigned(&vs.body, "http_method_names")),
        r#"["get", "post"]"#
    );

    let cancel = func(&f, "cancel");
    let (callee, args) = call(&cancel.decorators[0]);
    assert_eq!(callee, "action");
    assert_eq!(show(args.keyword("methods").unwrap()), r#"["post"]"#);
    assert_eq!(show(args.keyword("detail").unwrap()), "true");
    assert_eq!(
        cancel.params[2].default.as_ref().map(show).as_deref(),
        Some("None")
    );
    assert_eq!(
        show_stmts(&cancel.body),
        [
            "order = self.get_object()",
            "order.cancel()",
            "return Response(status=204)"
        ]
    );
}

#[test]
fn class_bases_with_keywords() {
    let f = facts(VIEWS);
    let d = class(&f, "Dashboard");
    let bases: Vec<_> = d
        .bases
        .iter()
        .map(|a| (a.name.clone(), show(&a.value)))
        .collect();
    assert_eq!(
        bases,
        [
            (None, "LoginRequiredMixin".to_string()),
            (None, "View".to_string()),
            (Some("metaclass".to_string()), "Meta".to_string()),
        ]
    );
}

#[test]
fn nested_meta_and_classmethod() {
    let f = facts(VIEWS);
    let order = f.classes.iter().position(|c| c.name == "Order").unwrap() as u32;
    let meta = class(&f, "Meta");
    assert_eq!(meta.parent, Some(order));
    assert_eq!(meta.in_function, None);
    assert_eq!(
        show(assigned(&meta.body, "indexes")),
        r#"[models.Index(fields=["customer", "created"])]"#
    );
    let (_, args) = call(assigned(&class(&f, "Order").body, "customer"));
    assert_eq!(show(args.keyword("db_index").unwrap()), "true");
    let create = func(&f, "create");
    assert_eq!(create.container, Container::Class(order));
    assert_eq!(create.params[0].kind, ParamKind::SelfParam);
    assert_eq!(create.params[1].kind, ParamKind::VarKwargs);
}
