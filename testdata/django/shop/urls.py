from django.contrib.auth.decorators import login_required, permission_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import cart, views
from .views import order_create
from .webhooks import payment_webhook

app_name = "shop"

urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    re_path(r"^orders/(?P<pk>\d+)/$", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/new/", order_create, name="order-create"),
    path("orders/export/", login_required(views.export_orders), name="order-export"),
    path("catalog/", views.catalog, name="catalog"),
    path("reports/", include([path("daily/", views.daily_report, name="report-daily")])),
    path("stock/", views.stock_levels, name="stock"),
    path("cart/", cart.cart_show, name="cart"),
    path("cart/clear/", cart.cart_clear, name="cart-clear"),
]

urlpatterns += [
    path(
        "orders/<int:pk>/refund/",
        permission_required("shop.refund_order")(views.order_refund),
        name="order-refund",
    ),
]

urlpatterns.append(path("webhooks/payment/", csrf_exempt(payment_webhook), name="payment-webhook"))
