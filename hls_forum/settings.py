"""HLS Forum settings: one file, read from the environment.

Nothing configured gives a working local install: SQLite, a broker that needs
no server (kombu's filesystem transport), and emails written to files under
``var/mail``. Production sets ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_HOST``
and friends (see ``.env.example``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HLS_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    # Empty means unset, as for the other helpers: docker-compose passes unset optional
    # variables as empty strings.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# Under pytest the development key and plain static storage are fine.
TESTING = env_bool("HLS_TESTING") or "pytest" in sys.modules
# A development key is only ever used with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or (
    "django-insecure-local-development-only" if DEBUG or TESTING else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "csp",
    "outbox",
    "partnerships",
    "talking_points",
    "privacy",
    "reminders",
    "setup",
    "stories",
    "rest_framework",
    "drf_spectacular",
    "api",
    "decisions",
    "doors",
    "threads",
    "funding",
    "guests",
    "records",
    "agenda",
]

MIDDLEWARE = [
    # Compresses pages for clients that ask (first, so it sees the finished body). Safe from
    # BREACH: Django masks the CSRF token afresh on every response and pads gzip's header.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hls_forum.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the audit log know who and from where, for changes made deep in a request.
    "privacy.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Security middleware (hls_forum/middleware.py): idle and absolute session limits,
    # multi-factor for commissioners and staff, no-store for signed-in pages.
    "hls_forum.middleware.SessionLifetimeMiddleware",
    "hls_forum.middleware.MFARequiredMiddleware",
    "hls_forum.middleware.PrivateCacheControlMiddleware",
]

# Benchmarks only (bench/web.py sets it): the bench app, with its yardstick view at
# /bench/ok, the generate_national_data command and an X-Queries header on every response.
BENCH = env_bool("BENCH")
if BENCH:
    INSTALLED_APPS.append("bench")
    MIDDLEWARE.insert(0, "bench.querycount.QueryCountHeaderMiddleware")

# The API (api app): personal access tokens, every read through the same visible_to as the
# pages; throttled per person (or per address without a token) in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.TokenScopeAllows"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANONYMOUS", "120/minute"),
        "user": env_str("API_RATE_TOKEN", "600/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HLS Forum API",
    "DESCRIPTION": "Places, organisations, commissioners, forums, sessions, learning and the "
    "transparency register, as far as the token's person may see them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

ROOT_URLCONF = "hls_forum.urls"
WSGI_APPLICATION = "hls_forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            # The site's own tag libraries (hls_forum is not an app): every layer may load them.
            "libraries": {
                "account_pages": "hls_forum.templatetags.account_pages",
                "timestamps": "hls_forum.templatetags.timestamps",
                "slots": "hls_forum.templatetags.slots",
            },
        },
    }
]
# Every form field knows the ids of its hint and error, which its aria-describedby names.
FORM_RENDERER = "hls_forum.forms.FormRenderer"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        # A kept connection is checked before each request reuses it, so one broken by a
        # database restart is replaced instead of failing the request (docs/faults.md).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several local processes (web, worker, beat) share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # A file, not memory, so a real Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USES_POSTGRES:
    # Server-side binding and prepared statements (psycopg 3): a query the ORM runs five
    # times on a connection is planned once. Every page runs the same few short visibility
    # queries with other values; planning them cost PostgreSQL several times their running.
    # Set DB_PREPARE_THRESHOLD=off behind a transaction-pooling PgBouncer before 1.21.
    _prepare = env_str("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=None if _prepare.lower() == "off" else int(_prepare),
    )
SILENCED_SYSTEM_CHECKS: list[str] = []
if not USES_POSTGRES:
    # Covering (INCLUDE) indexes are a PostgreSQL speed-up; SQLite builds the same index
    # without the extra columns, which is all a local install needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- Cache (rate limits and one-time codes must be shared by every web process) ---
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "hls_forum.cache.ReusingRedisCache",
            "LOCATION": env_str("CACHE_REDIS_URL", REDIS_URL),
            # A cache that does not answer is skipped (hls_forum/cache.py), not waited for.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # Otherwise kombu writes its exchange tables to ./control in whatever folder it runs.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "hls_forum")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes every database connection before and after each task
# unless this is set, so each task paid for a new PostgreSQL connection (a server process
# forked, authenticated and set up: most of a short task's cost). With it, the fixup
# recycles connections only every this many tasks, and hls_forum/celery.py applies
# Django's own per-request rules around each task instead (CONN_MAX_AGE, health checks,
# dropping a connection left in a bad state).
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when the broker is down; the dispatcher catches up later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Nightly: apply every registered retention rule (privacy/retention.py).
    "privacy-apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=3, minute=17),
    },
    # Prepares copies of people's data whose task was lost (the broker was unreachable when
    # they were asked for, or their worker died): privacy.services.exports_catch_up.
    "privacy-catch-up-exports": {
        "task": "privacy.catch_up_exports",
        "schedule": 15.0,
        "options": {"expires": 12},
    },
    # Creates due reminder and digest deliveries and queues their sends (reminders app).
    # "expires": a tick nobody ran within 4/5 of the interval is dropped; the next one does
    # its work. The interval is shorter only in the fault drill (bench/faults.py).
    "reminders-dispatch": {
        "task": "reminders.dispatch",
        "schedule": float(env_int("REMINDERS_DISPATCH_SECONDS", 300)),
        "options": {"expires": env_int("REMINDERS_DISPATCH_SECONDS", 300) * 4 // 5},
    },
    # Every automatic email's row: stuck sends marked unknown, lost tasks queued again.
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # Reminds people of decisions and experiments due for review (decisions app; idempotent).
    "decisions-remind-reviews": {
        "task": "decisions.remind_reviews",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Office hours tomorrow: a reminder to both people, once each (doors app).
    "doors-booking-reminders": {
        "task": "doors.booking_reminders",
        "schedule": 900.0,
        "options": {"expires": 720},
    },
    # Gives coming sessions their rota facilitator and tells each a week ahead (agenda).
    "agenda-notify-rota": {
        "task": "agenda.notify_rota",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# --- Email ----------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HLS Forum <no-reply@hls-forum.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mailto: alternative in List-Unsubscribe (the https one-click link comes first); mail
# sent there should reach staff. Default: unsubscribe@ the SITE_URL's host.
UNSUBSCRIBE_MAILTO = env_str("UNSUBSCRIBE_MAILTO")
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # Each email is written as a file a person can open: var/mail/*.log
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Auth (django-allauth) -------------------------------------------------------
AUTH_USER_MODEL = "partnerships.User"
# Django's and allauth's backends, finding the signed-in person in the shared cache rather
# than with a query on every request (partnerships/auth_backends.py says why it is safe).
AUTHENTICATION_BACKENDS = [
    "partnerships.auth_backends.CachedModelBackend",
    "partnerships.auth_backends.CachedAllauthBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "talking_points:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One email address per person: the email page changes it (the new one waits there until
# confirmed), with no "primary" or second addresses.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HLS Forum] "
# Keep this browser signed in after a password change; every other session is ended
# (privacy/signals.py ends them explicitly, and Django's session hash check backs it up).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SIGNUP_FORM_CLASS = "partnerships.forms.SignupNameForm"
# allauth's forms and emails in the site's own plain English (privacy/account_forms.py,
# privacy/adapters.py and templates/account/, templates/mfa/); its emails go through the
# outbox like every other automatic email.
ACCOUNT_ADAPTER = "privacy.adapters.AccountAdapter"
_FORMS = "privacy.account_forms"
ACCOUNT_FORMS = {
    "login": f"{_FORMS}.SignInForm",
    "signup": f"{_FORMS}.SignUpForm",
    "add_email": f"{_FORMS}.AddEmailForm",
    "change_email": f"{_FORMS}.ChangeEmailForm",
    "change_password": f"{_FORMS}.ChangePasswordForm",
    "set_password": f"{_FORMS}.SetPasswordForm",
    "reset_password": f"{_FORMS}.ResetPasswordForm",
    "reset_password_from_key": f"{_FORMS}.ResetPasswordKeyForm",
    "reauthenticate": f"{_FORMS}.ReauthenticateForm",
    "request_login_code": f"{_FORMS}.RequestLoginCodeForm",
    "confirm_login_code": f"{_FORMS}.ConfirmLoginCodeForm",
}
MFA_FORMS = {
    "authenticate": f"{_FORMS}.MFAAuthenticateForm",
    "reauthenticate": f"{_FORMS}.MFAReauthenticateForm",
    "activate_totp": f"{_FORMS}.ActivateTOTPForm",
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,20/5m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Stories told on a place's public form (stories app): no account, so by address.
    "tell_us": "10/h/ip",
}
# A public story sent back sooner than this after the form was shown was filled by a robot.
STORIES_MIN_SECONDS = env_int("STORIES_MIN_SECONDS", 3)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
# Browsers only allow WebAuthn on HTTPS or http://localhost; local runs are plain HTTP.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "HLS Forum"
# Who must use two-step sign-in (hls_forum.middleware.MFARequiredMiddleware asks this
# predicate): commissioners and site staff.
MFA_REQUIRED_FOR = "partnerships.permissions.mfa_required_for"
# Signed-in sessions are listed (account > "Where you are signed in") with the IP and
# browser they signed in from. Tracking "last seen" would write on every request.
USERSESSIONS_TRACK_ACTIVITY = env_bool("USERSESSIONS_TRACK_ACTIVITY", default=False)
USERSESSIONS_ADAPTER = "privacy.adapters.AuditedUserSessionsAdapter"
# Behind a load balancer, the client's address is in X-Forwarded-For; rate limits per IP
# and the audit log's "from where" need the real one. Set to the number of proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Sessions and cookies ---------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Absolute lifetime: a session ends this long after sign-in, however busy
# (enforced by hls_forum.middleware.SessionLifetimeMiddleware, and the cookie's Max-Age).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Idle timeout: a session ends after this long without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# Signed-in pages warn this long before the idle sign-out, offering "Stay signed in".
SESSION_IDLE_WARNING = env_int("SESSION_IDLE_WARNING", 2 * 60)
# Activity is written to the session at most this often, so most requests write nothing.
SESSION_ACTIVITY_RESOLUTION = min(60, max(1, SESSION_IDLE_TIMEOUT // 10))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Tests and local runs speak plain HTTP to localhost; production always HTTPS.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # __Host- cookies are only accepted by browsers over HTTPS with Secure set.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- HTTPS and headers --------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a hard-to-undo promise for the whole domain and its subdomains, so it is
    # the operator's choice (SECURE_HSTS_PRELOAD=1), not a default; don't warn about it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Uploads: refuse oversized posts with a clear 400 rather than a crash ---------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Product settings ----------------------------------------------------------------
PAGE_SIZE = env_int("PAGE_SIZE", 20)

# --- Privacy: data rights and retention (privacy/) ------------------------------------
# Days each category of data is kept; None keeps it until a person or organisation
# deletes it. privacy.registry rules apply these nightly; the privacy notice shows them.
PRIVACY_RETENTION: dict[str, int | None] = {
    "audit_events": env_int("RETENTION_AUDIT_EVENTS_DAYS", 2 * 365),
    "export_files": env_int("RETENTION_EXPORT_FILES_DAYS", 7),
    "unaccepted_invitations": env_int("RETENTION_UNACCEPTED_INVITATIONS_DAYS", 90),
    "decided_join_requests": env_int("RETENTION_DECIDED_JOIN_REQUESTS_DAYS", 365),
    # Reserved for the learning log and reminders, whose rules register themselves.
    "stories_of_change": env_int("RETENTION_STORIES_OF_CHANGE_DAYS", 6 * 365),
    "delivery_logs": env_int("RETENTION_DELIVERY_LOGS_DAYS", 365),
    "guest_links": env_int("RETENTION_GUEST_LINKS_DAYS", 1),
}
# Where prepared copies of a person's data are written (never under a public URL).
PRIVACY_EXPORT_ROOT = Path(env_str("PRIVACY_EXPORT_ROOT", str(VAR_DIR / "exports")))
STORAGES["privacy_exports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVACY_EXPORT_ROOT), "base_url": None},
}
# Reminders (seconds): a send stuck "sending" this long is marked unknown, never resent;
# a pending row queued this long ago is queued again; transient SMTP errors back off from
# the base delay, doubling, for at most REMINDERS_MAX_ATTEMPTS attempts.
REMINDERS_SENDING_TIMEOUT = env_int("REMINDERS_SENDING_TIMEOUT", 600)
REMINDERS_REQUEUE_AFTER = env_int("REMINDERS_REQUEUE_AFTER", 900)
REMINDERS_RETRY_BASE_SECONDS = env_int("REMINDERS_RETRY_BASE_SECONDS", 60)
REMINDERS_MAX_ATTEMPTS = env_int("REMINDERS_MAX_ATTEMPTS", 5)
# While no mail server answers at all, a send is tried again every this many seconds and
# not counted as an attempt, until the email has waited OUTBOX_UNREACHABLE_GIVE_UP_SECONDS.
OUTBOX_UNREACHABLE_RETRY_SECONDS = env_int("OUTBOX_UNREACHABLE_RETRY_SECONDS", 20)
OUTBOX_UNREACHABLE_GIVE_UP_SECONDS = env_int("OUTBOX_UNREACHABLE_GIVE_UP_SECONDS", 6 * 3600)

# Conversations: reply by email. Replies go to reply+<signed token>@REPLY_DOMAIN (default:
# the SITE_URL's host); `manage.py receive_mail` listens for them on REPLY_SMTP_HOST:PORT,
# and Mailgun's inbound route may POST them to /conversations/inbound/mailgun/ instead
# (signed with MAILGUN_WEBHOOK_SIGNING_KEY; without it that endpoint is off).
REPLY_DOMAIN = env_str("REPLY_DOMAIN")
REPLY_SMTP_HOST = env_str("REPLY_SMTP_HOST", "127.0.0.1")
REPLY_SMTP_PORT = env_int("REPLY_SMTP_PORT", 2525)
ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": env_str("MAILGUN_WEBHOOK_SIGNING_KEY")}
# 360Giving open data: grant identifiers start with this prefix (register your own with
# 360Giving; it must start "360G-"), so they stay unique when data from many funders joins.
THREESIXTYGIVING_PREFIX = env_str("THREESIXTYGIVING_PREFIX", "360G-hlsforum-")
