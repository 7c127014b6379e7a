from django.db import models


TIERS = [("basic", "Basic"), ("gold", "Gold")]


class Customer(models.Model):
    email = models.EmailField()
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)
    tier = models.CharField(max_length=10, choices=TIERS, default="basic")

    class Meta:
        # Serves lookups by region, and by region then newest first.
        indexes = [models.Index(fields=["region", "-created"], name="crm_customer_region_created")]


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    city = models.CharField(max_length=50)
