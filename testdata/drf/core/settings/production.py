from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["api.example.com"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "orders"}}
