"""Page views. LoginRequiredMiddleware makes every one need a login."""
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from crm.models import Customer

from .forms import ProductChoiceField
from .models import Order, Product


@require_GET
@ratelimit(key="user", rate="60/m")
def order_lookup(request):
    # Nothing indexes `reference`: each lookup reads the whole table.
    order = Order.objects.filter(reference=request.GET["ref"]).first()  # expect: db/missing-index
    return JsonResponse({"id": order.id if order else None})


@require_GET
@ratelimit(key="user", rate="60/m")
def orders_by_status(request):
    orders = Order.objects.filter(status=request.GET["status"])[:50]  # ok: db/missing-index
    return JsonResponse({"orders": [o.reference for o in orders]})


@require_GET
@ratelimit(key="user", rate="60/m")
def recent_orders(request):
    # Sorted by an index a RunSQL migration created.
    orders = Order.objects.order_by("-created")[:20]  # ok: db/missing-index
    return JsonResponse({"orders": [o.reference for o in orders]})


@require_GET
@ratelimit(key="user", rate="60/m")
def customer_orders(request, customer_id):
    # Django indexes foreign keys.
    rows = list(Order.objects.filter(customer_id=customer_id).values("id", "status")[:100])  # ok: db/missing-index
    return JsonResponse({"orders": rows})


@require_GET
@ratelimit(key="user", rate="60/m")
def find_customer(request):
    # UPPER(email) = UPPER(%s): only an expression index could serve it,
    # and archlint does not ask for one.
    customer = Customer.objects.filter(email__iexact=request.GET["email"]).first()  # ok: db/missing-index
    return JsonResponse({"id": customer.id if customer else None})


@require_GET
@ratelimit(key="user", rate="60/m")
def regional_customers(request):
    # The composite (region, created) index serves its first column alone.
    rows = Customer.objects.filter(region=request.GET["region"]).order_by("-created")[:20]  # ok: db/missing-index
    return JsonResponse({"customers": [c.name for c in rows]})


@require_GET
@ratelimit(key="user", rate="10/m")
def export_orders(request):
    return JsonResponse(list(Order.objects.values()), safe=False)  # expect: db/unbounded-query


@require_GET
@ratelimit(key="user", rate="60/m")
def latest_orders(request):
    return JsonResponse(list(Order.objects.values()[:50]), safe=False)  # ok: db/unbounded-query


@require_GET
@ratelimit(key="user", rate="10/m")
def order_report(request):
    lines = []
    # One query for the orders, then one per order for its customer.
    for order in Order.objects.all():
        lines.append(order.customer.name)  # expect: db/n-plus-one
    for order in Order.objects.select_related("customer"):
        lines.append(order.customer.name)  # ok: db/n-plus-one
    for order in Order.objects.prefetch_related("items"):
        lines.append(str(order.items.count()))  # ok: db/n-plus-one
    # Two statuses, two queries: a fixed loop.
    for status in ("open", "shipped"):
        lines.append(str(Order.objects.filter(status=status).count()))  # ok: db/n-plus-one
    return HttpResponse("\n".join(lines))


@require_GET
@ratelimit(key="user", rate="60/m")
def catalogue_search(request):
    # The manager adds `archived = false`: with it, (archived, name) serves the name.
    products = Product.catalogue.filter(name=request.GET["q"])[:20]  # ok: db/missing-index
    return JsonResponse({"skus": [p.sku for p in products]})


@require_GET
@ratelimit(key="user", rate="60/m")
def cart_form(request):
    fields = {}
    for sku in request.GET.getlist("sku"):
        # Cached after the first lookup of each SKU.
        product = Product.catalogue.by_sku(sku)  # ok: db/n-plus-one
        # A lazy queryset handed to a form field runs nothing here.
        fields[sku] = ProductChoiceField(queryset=Product.objects.filter(sku=sku), initial=product)  # ok: db/n-plus-one
    return JsonResponse({"fields": sorted(fields)})


@require_POST
@ratelimit(key="user", rate="60/m")
def cart_prices(request):
    skus = request.POST.getlist("sku")
    # One query per submitted SKU (`sku__in` would need one).
    names = [Product.objects.get(sku=s).name for s in skus]  # expect: db/n-plus-one
    return JsonResponse({"names": names})
