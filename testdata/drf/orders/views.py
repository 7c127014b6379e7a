"""Orders API. Authentication and throttling come from REST_FRAMEWORK defaults."""
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Order, Product
from .permissions import IsWarehouseStaff
from .serializers import OrderSerializer, ProductSerializer


class OrderViewSet(viewsets.ModelViewSet):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    serializer_class = OrderSerializer

    def get_queryset(self):
        return Order.objects.filter(owner=self.request.user)  # expect: db/unbounded-query:warning

    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        order = self.get_object()
        order.status = "shipped"
        order.save()
        return Response({"status": order.status})


# The one public part of the API: overrides the default permission.
class ProductViewSet(viewsets.ReadOnlyModelViewSet):  # ok: api/unauthenticated-endpoint
    permission_classes = [AllowAny]
    queryset = Product.objects.all()  # expect: db/unbounded-query:warning
    serializer_class = ProductSerializer
    lookup_field = "sku"


class StockViewSet(mixins.UpdateModelMixin, viewsets.GenericViewSet):  # ok: api/unauthenticated-endpoint
    permission_classes = [IsWarehouseStaff]
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    lookup_field = "sku"


class SalesReport(APIView):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({"orders": Order.objects.count()})


class OrderHistory(generics.ListAPIView):  # ok: api/unauthenticated-endpoint
    serializer_class = OrderSerializer

    def get_queryset(self):
        return Order.objects.filter(owner=self.request.user, status="shipped")  # expect: db/unbounded-query:warning


@api_view(["GET"])
def order_summary(request):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return Response({"open": Order.objects.filter(owner=request.user, status="new").count()})
