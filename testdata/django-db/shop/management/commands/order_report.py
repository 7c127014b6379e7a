"""An operator's report: one query per order, run by hand now and then."""
from django.core.management.base import BaseCommand

from shop.models import Order


class Command(BaseCommand):
    def handle(self, *args, **options):
        for order in Order.objects.filter(status="open"):
            self.stdout.write(order.customer.name)  # expect: db/n-plus-one:note
