"""The JSON API. The project sets no DEFAULT_PERMISSION_CLASSES, so each view
must say who may call it."""
from django.contrib.auth import authenticate
from rest_framework import mixins, permissions, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from shop.models import Order, Product

from .serializers import OrderSerializer, ProductSerializer


class OrderViewSet(viewsets.ModelViewSet):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [UserRateThrottle]

    def get_queryset(self):
        return Order.objects.filter(customer=self.request.user)  # expect: db/unbounded-query:warning

    def perform_create(self, serializer):
        serializer.save(customer=self.request.user)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        order.status = "cancelled"
        order.save()
        return Response({"status": order.status})


# No permission_classes and no project default: anyone can create, change and
# delete products, on the list route and on the detail route.
class ProductViewSet(viewsets.ModelViewSet):  # expect: api/unauthenticated-endpoint:error, api/unauthenticated-endpoint, api/missing-rate-limit:warning, api/missing-rate-limit:warning
    queryset = Product.objects.all()  # expect: db/unbounded-query:warning
    serializer_class = ProductSerializer


# Generic viewsets query through `queryset` in DRF's own code: the list and
# detail routes reach the database although the class defines no method.
class CatalogViewSet(viewsets.ReadOnlyModelViewSet):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning, api/missing-rate-limit:warning
    permission_classes = [permissions.AllowAny]
    queryset = Product.objects.filter(in_stock=True)  # expect: db/unbounded-query:warning  ok: db/missing-index
    serializer_class = ProductSerializer


# Public on purpose, but nothing stops password guessing.
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def obtain_token(request):  # expect: api/missing-rate-limit:error
    user = authenticate(username=request.data.get("username"), password=request.data.get("password"))
    if user is None:
        return Response({"detail": "invalid credentials"}, status=400)
    token, _ = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


@api_view(["POST"])
@permission_classes([permissions.AllowAny])
@throttle_classes([AnonRateThrottle])
def refresh_token(request):  # ok: api/missing-rate-limit, api/unauthenticated-endpoint
    token = Token.objects.filter(key=request.data.get("token")).first()
    if token is None:
        return Response(status=401)
    return Response({"token": token.key})


class InStockBase(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = Product.objects.filter(in_stock=True)[:100]  # ok: db/missing-index, db/unbounded-query  related: api/missing-rate-limit


# The queryset comes from a project base class.
class StockViewSet(mixins.ListModelMixin, InStockBase):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    serializer_class = ProductSerializer


class ThrottledStockViewSet(mixins.ListModelMixin, InStockBase):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    throttle_classes = [UserRateThrottle]
    serializer_class = ProductSerializer
