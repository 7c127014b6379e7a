"""Account pages: class-based views."""
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_ratelimit.decorators import ratelimit

from .base import AccountView
from .models import LoginEvent


class ProfileView(LoginRequiredMixin, DetailView):  # ok: api/unauthenticated-endpoint
    template_name = "accounts/profile.html"

    def get_object(self, queryset=None):
        return self.request.user


# Inherits LoginRequiredMixin from the project's AccountView.
class SettingsView(AccountView):  # ok: api/unauthenticated-endpoint
    def get(self, request):
        return render(request, "accounts/settings.html", {"profile": self.get_profile()})

    def post(self, request):
        profile = self.get_profile()
        profile.newsletter = "newsletter" in request.POST
        profile.save()
        return redirect("accounts:settings")


class LoginHistoryView(AccountView, ListView):  # expect: api/missing-rate-limit:warning
    template_name = "accounts/history.html"

    def get_queryset(self):
        return LoginEvent.objects.filter(user=self.request.user).order_by("-at")[:50]


class DeleteAccountView(View):  # ok: api/unauthenticated-endpoint
    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        request.user.is_active = False
        request.user.save()
        return redirect("home")


@method_decorator(login_required, name="dispatch")
class SessionsView(ListView):  # ok: api/unauthenticated-endpoint
    template_name = "accounts/sessions.html"
    http_method_names = ["get"]

    def get_queryset(self):
        return self.request.user.session_set.all()


@login_required
@require_POST
@ratelimit(key="user", rate="5/h")
def change_email(request):  # ok: api/missing-rate-limit
    User = get_user_model()
    email = request.POST["email"]
    if User.objects.filter(email=email).exists():
        return redirect("accounts:settings")
    request.user.email = email
    request.user.save()
    return redirect("accounts:settings")


# Wrapped with login_required(...) in accounts/urls.py.
class SecurityView(TemplateView):  # ok: api/unauthenticated-endpoint
    template_name = "accounts/security.html"


# Django's LoginView is public by design; POST attempts are rate-limited.
@method_decorator(ratelimit(key="ip", rate="5/m", method="POST"), name="post")
class SignInView(auth_views.LoginView):  # ok: api/missing-rate-limit, api/unauthenticated-endpoint
    template_name = "accounts/signin.html"


# Sign-up creates accounts with no limit on attempts.
def signup(request):  # expect: api/missing-rate-limit:error
    User = get_user_model()
    if request.method == "POST":
        user = User.objects.create_user(request.POST["username"], password=request.POST["password"])
        login(request, user)
        return redirect("home")
    return render(request, "accounts/signup.html")
