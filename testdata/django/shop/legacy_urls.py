"""URLs of the old site, kept so that bookmarks still work."""
from django.conf.urls import url

from . import views

legacy_patterns = [
    url(r"^order/(?P<pk>\d+)/$", views.legacy_order),
]
