from django.urls import include, path
from rest_framework import routers

from . import views

router = routers.DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")
router.register(r"products", views.ProductViewSet)
router.register(r"catalog", views.CatalogViewSet, basename="catalog")
router.register(r"stock", views.StockViewSet, basename="stock")
router.register(r"stock-throttled", views.ThrottledStockViewSet, basename="stock-throttled")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", views.obtain_token, name="api-token"),
    path("auth/token/refresh/", views.refresh_token, name="api-token-refresh"),
]
