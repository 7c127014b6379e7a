from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("history/", views.LoginHistoryView.as_view(), name="history"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    path("sessions/", views.SessionsView.as_view(), name="sessions"),
    path("email/", views.change_email, name="change-email"),
    path(
        "security/",
        login_required(views.SecurityView.as_view(template_name="accounts/security.html")),
        name="security",
    ),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("signup/", views.signup, name="signup"),
]
