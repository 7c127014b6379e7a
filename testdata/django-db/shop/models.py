from django.conf import settings
from django.db import models

from crm.models import Customer

from .cache import cache as _cache


class CatalogueManager(models.Manager):
    """Products still on sale."""

    def get_queryset(self):
        return super().get_queryset().filter(archived=False)

    def by_sku(self, sku):
        # Served from a process-wide cache after the first call.
        return _cache.get_or_load(sku, lambda: self.get(sku=sku))


class Product(models.Model):
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    archived = models.BooleanField(default=False)

    objects = models.Manager()
    catalogue = CatalogueManager()

    class Meta:
        indexes = [models.Index(fields=["archived", "name"], name="shop_product_live_name")]


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, db_index=True)
    reference = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)
    # Rarely read, so its index was turned off; but deleting a user now
    # reads every order to find the ones to clear.
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, db_index=False)  # expect: db/unindexed-foreign-key


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()


class Favourite(models.Model):
    # No index of its own, but the unique pair leads with it.
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, db_index=False)  # ok: db/unindexed-foreign-key
    product = models.ForeignKey(Product, on_delete=models.CASCADE)

    class Meta:
        unique_together = [("customer", "product")]
