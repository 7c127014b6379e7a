from django.urls import include, path

urlpatterns = [
    path("shop/", include("shop.urls")),
    path("api/", include("shop.api_urls")),
]
