"""Cart pages: the cart lives in the HTTP session, not in a table."""
from django.contrib.auth.decorators import login_required
from django.db import router, transaction
from django.http import JsonResponse

from .models import Order


@login_required
def cart_show(request):  # ok: api/missing-rate-limit
    # `request.session` is the session store: reading it is not a query.
    return JsonResponse({"items": request.session.get("cart", [])})


@login_required
def cart_clear(request):  # ok: api/missing-rate-limit
    # Opening a transaction and asking the router for a database run no query.
    with transaction.atomic(using=router.db_for_write(Order)):
        request.session.pop("cart", None)
    return JsonResponse({"items": []})
