from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("session/login/", views.login_page, name="login"),
    path("api/v1/", include("orders.urls")),
    path("api/v1/auth/", include("users.urls")),
]
