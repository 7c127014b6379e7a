from django.urls import path

from . import views

urlpatterns = [
    path("orders/lookup/", views.order_lookup),
    path("orders/by-status/", views.orders_by_status),
    path("orders/recent/", views.recent_orders),
    path("customers/<int:customer_id>/orders/", views.customer_orders),
    path("customers/find/", views.find_customer),
    path("customers/regional/", views.regional_customers),
    path("orders/export/", views.export_orders),
    path("orders/latest/", views.latest_orders),
    path("orders/report/", views.order_report),
    path("cart/prices/", views.cart_prices),
    path("catalogue/search/", views.catalogue_search),
    path("cart/form/", views.cart_form),
]
