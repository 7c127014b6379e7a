"""Shop pages: plain function views."""
import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import OrderForm
from .models import Order, Product


def home(request):  # expect: api/unauthenticated-endpoint:note
    return render(request, "shop/home.html")


def javascript_catalog(request):  # ok: api/unauthenticated-endpoint
    # Served at jsi18n/: the translation catalog is public by design.
    return HttpResponse("{}", content_type="text/javascript")


@login_required
def order_list(request):  # expect: api/missing-rate-limit:warning
    orders = Order.objects.filter(customer=request.user).select_related("product")
    return render(request, "shop/order_list.html", {"orders": orders})


@login_required
@require_http_methods(["GET", "HEAD"])
def order_detail(request, pk):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    return render(request, "shop/order_detail.html", {"order": order})


@login_required
@require_POST
def order_cancel(request, pk):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    order.status = "cancelled"
    order.save()
    return redirect("shop:orders")


# Any method, no login, and it saves what was posted.
def order_create(request):  # expect: api/unauthenticated-endpoint:error
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = form.save(commit=False)
        order.customer = request.user
        order.save()
        return redirect("shop:orders")
    return render(request, "shop/order_form.html", {"form": form})


# Authenticated by the `login_required(...)` wrapper in shop/urls.py.
def export_orders(request):  # ok: api/unauthenticated-endpoint
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    for order in request.user.order_set.all():
        writer.writerow([order.pk, order.product_id, order.quantity, order.status])
    return response


# Authenticated by `permission_required(...)(...)` in shop/urls.py.
def order_refund(request, pk):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    order = get_object_or_404(Order, pk=pk)
    order.status = "refunded"
    order.save()
    return redirect("shop:order-detail", pk=pk)


# Read-only, but every other view of shop/urls.py needs a login: forgotten?
@require_GET
def catalog(request):  # expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    products = Product.objects.filter(in_stock=True).order_by("name")  # ok: db/missing-index
    return render(request, "shop/catalog.html", {"products": products})


@staff_member_required
def daily_report(request):  # expect: api/missing-rate-limit:warning
    totals = Order.objects.values("product__name").annotate(quantity=Sum("quantity"))
    return render(request, "shop/report.html", {"totals": totals})


@staff_member_required
def legacy_order(request, pk):  # ok: api/unauthenticated-endpoint
    return redirect("shop:order-detail", pk=pk)


# Checks the user in its own body instead of with a decorator.
def stock_levels(request):  # ok: api/unauthenticated-endpoint
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "shop/stock.html", {"products": request.GET.getlist("sku")})
