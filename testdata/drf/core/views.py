"""The few server-rendered pages next to the API."""
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Count
from django.shortcuts import redirect, render

from orders.models import Order


@login_not_required
def landing(request):  # ok: api/unauthenticated-endpoint
    return render(request, "landing.html")


# Covered by LoginRequiredMiddleware; DRF's throttle defaults do not apply to
# plain Django views.
def dashboard(request):  # ok: api/unauthenticated-endpoint # expect: api/missing-rate-limit:warning
    by_status = Order.objects.values("status").annotate(n=Count("id"))
    return render(request, "dashboard.html", {"by_status": by_status})


# The session login for the browsable API: public, and not throttled by DRF.
@login_not_required
def login_page(request):  # expect: api/missing-rate-limit:error
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect("dashboard")
    return render(request, "login.html", {"form": form})
