"""Settings of a Django 5.1 shop with a DRF API. Every page needs a login
(LoginRequiredMiddleware); API views need a token and are throttled by
default, so the api/* rules have nothing to say and the db/* rules speak."""
SECRET_KEY = "fixture-only"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "crm",
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}

# No DEFAULT_PAGINATION_CLASS: list endpoints return every row unless the
# view sets a pagination_class.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "1000/hour"},
}
