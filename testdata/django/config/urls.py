"""Root URL configuration."""
from django.contrib import admin
from django.urls import include, path

from accounts import urls as accounts_urls
from shop import views as shop_views
from shop.legacy_urls import legacy_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("shop/", include("shop.urls", namespace="shop")),
    path("api/", include("shop.api.urls")),
    path("", include((legacy_patterns, "legacy"))),
    path("", shop_views.home, name="home"),
    path("jsi18n/", shop_views.javascript_catalog, name="javascript-catalog"),
]
