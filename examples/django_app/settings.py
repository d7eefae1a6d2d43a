"""Settings of the example project: no database, no sessions, just the app and a cache."""

SECRET_KEY = "django-insecure-example-only"  # set a real, secret one outside this example
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = ["django_app"]  # for its templates/ directory
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "django_app.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

# Generated images stay in this process's memory for an hour, a few dozen at most. With several
# worker processes, use a shared cache (Redis, Memcached) so any worker can serve any image.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 32},
    }
}
USE_TZ = True
