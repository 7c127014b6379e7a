from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("orders", api.OrderViewSet, basename="order")
router.register("products", api.ProductViewSet)
router.register("customers", api.CustomerViewSet, basename="customer")

urlpatterns = router.urls + [path("products/search/", api.ProductSearch.as_view())]
