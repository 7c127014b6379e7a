//! DRF list views and their pagination.

use super::orm::MODELS;
use super::support::*;

const VIEWS: &str = r#"
from rest_framework import generics, mixins, viewsets
from rest_framework.pagination import PageNumberPagination
from shop.models import Order


class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()


class PagedViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Order.objects.all()
    pagination_class = PageNumberPagination


class Base(generics.ListAPIView):
    pagination_class = PageNumberPagination


class Inherited(Base):
    def get_queryset(self):
        return Order.objects.filter(status="x")


class OptOut(Base):
    queryset = Order.objects.all()
    pagination_class = None


class ListOnly(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Order.objects.all()


class Detail(generics.RetrieveAPIView):
    queryset = Order.objects.all()
"#;

/// `class line -> queryset line: paginated` of each list view.
fn views_of(m: &archlint_model::DbModel) -> Vec<String> {
    let mut v: Vec<String> = m
        .list_views
        .iter()
        .map(|l| {
            format!(
                "{} {}: {}",
                l.handler.span.start.line, l.queryset.span.start.line, l.paginated
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn list_views_and_pagination() {
    let m = db(&[("shop/models.py", MODELS), ("shop/views.py", VIEWS)]);
    assert_eq!(
        views_of(&m),
        [
            "11 12: true",
            "20 22: true",
            "25 26: false",
            "30 31: false",
            "7 8: false"
        ]
    );
    // `get_queryset` hands its queryset to DRF, which paginates: not "returned".
    let q = one(&m, "Order.objects.filter");
    assert!(q.all_rows && !q.returned);
}

#[test]
fn default_pagination_from_settings() {
    let settings = r#"
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
"#;
    let m = db(&[
        ("proj/settings.py", settings),
        ("shop/models.py", MODELS),
        ("shop/views.py", VIEWS),
    ]);
    assert_eq!(
        views_of(&m),
        [
            "11 12: true",
            "20 22: true",
            "25 26: false",
            "30 31: true",
            "7 8: true"
        ]
    );
}

#[test]
fn views_that_paginate_by_themselves() {
    let views = r#"
from rest_framework import generics
from shop.models import Order


class Manual(generics.ListAPIView):
    queryset = Order.objects.all()

    def filter_queryset(self, queryset):
        return paginator(queryset.filter(status="x"), self.request)


class Filtered(generics.ListAPIView):
    queryset = Order.objects.all()

    def filter_queryset(self, queryset):
        return queryset.filter(status="x")


class OwnList(generics.ListAPIView):
    queryset = Order.objects.all()

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset()[:10], many=True).data)
"#;
    let m = db(&[("shop/models.py", MODELS), ("shop/views.py", views)]);
    assert_eq!(views_of(&m), ["13 14: false", "20 21: true", "6 7: true"]);
}
