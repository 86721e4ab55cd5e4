"""Just enough settings to answer one request: Django's own floor."""

SECRET_KEY = "minimal-project-for-benchmarks-only-it-keeps-nothing-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.minimal_project.urls"
WSGI_APPLICATION = "bench.minimal_project.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
