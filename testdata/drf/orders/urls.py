from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("orders", views.OrderViewSet, basename="order")
router.register("products", views.ProductViewSet)
router.register("stock", views.StockViewSet, basename="stock")

urlpatterns = [
    path("", include(router.urls)),
    path("reports/sales/", views.SalesReport.as_view()),
    path("orders-history/", views.OrderHistory.as_view()),
    path("summary/", views.order_summary),
]
