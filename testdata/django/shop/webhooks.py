"""Callbacks from the payment provider."""
import hashlib
import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_POST


# `csrf_exempt(...)` in shop/urls.py is not authentication, and archlint cannot
# see that the signature check below plays that role: list the path under
# `public-paths` if the check is enough.
@require_POST
def payment_webhook(request):  # expect: api/unauthenticated-endpoint:error
    expected = hmac.new(settings.PAYMENT_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        return HttpResponseForbidden()
    return HttpResponse(status=204)
