"""The JSON API. Authentication and throttling come from the project defaults."""
from rest_framework import generics, viewsets
from rest_framework.pagination import PageNumberPagination

from crm.models import Customer

from .models import Order, Product
from .serializers import CustomerSerializer, OrderSerializer, ProductSerializer


# A list action with no pagination: GET /api/orders/ returns every order.
class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.select_related("customer")  # expect: db/unbounded-query
    serializer_class = OrderSerializer


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Product.objects.all()  # ok: db/unbounded-query
    serializer_class = ProductSerializer
    pagination_class = PageNumberPagination


class CustomerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CustomerSerializer

    def get_queryset(self):
        # Handed to DRF, which does not paginate it: the list view is unbounded.
        return Customer.objects.filter(region=self.request.user.region)  # expect: db/unbounded-query


class ProductSearch(generics.ListAPIView):
    queryset = Product.catalogue.all()  # ok: db/unbounded-query
    serializer_class = ProductSerializer

    def filter_queryset(self, queryset):
        # Pages by hand: at most one page of rows.
        return paginate(queryset.filter(name__icontains=self.request.GET.get("q", "")), self.request)


def paginate(queryset, request, size=50):
    page = int(request.GET.get("page", 1))
    return queryset[(page - 1) * size : page * size]
