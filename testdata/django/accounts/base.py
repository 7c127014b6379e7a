"""Base views shared by the account pages."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View


class AccountView(LoginRequiredMixin, View):
    """Every account page needs a signed-in user."""

    def get_profile(self):
        return self.request.user.profile
