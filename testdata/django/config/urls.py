"""Root URL configuration."""
from django.contrib import admin
from django.urls import include, path

from shop import views as shop_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("shop/", include("shop.urls", namespace="shop")),
    path("api/", include("shop.api.urls")),
    path("", shop_views.home, name="home"),
]
