"""Settings, driven by the environment.

DATABASE_URL        sqlite:///path or postgres://user@host:port/name (default: db.sqlite3 here)
DJANGO_SECRET_KEY   required unless DJANGO_DEBUG is on
DJANGO_DEBUG        "1"/"true" for development
DJANGO_ALLOWED_HOSTS comma-separated
REDIS_URL           a shared cache (rate limits, admin login throttle); default: per process
DJANGO_BEHIND_TLS_PROXY "1" (default): trust X-Forwarded-Proto/-For from the proxy in front
ROOTFI_RATE_LIMIT   requests per API key on the V4 door, e.g. 1200/min (default) or off
Production, replicas, PgBouncer, metrics and logs: see the README's settings table.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "apps.tenancy",
    "apps.catalog",
    "apps.locations",
    "apps.inventory",
    "apps.api",
    "apps.webhooks",
    "apps.ops",
    "apps.operations",
    "apps.counts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
]

MIDDLEWARE = [
    # Probes and metrics first: no Host check, no HTTPS redirect, no request log.
    "apps.ops.probes.ProbeMiddleware",
    "apps.ops.requests.RequestMiddleware",
    # Before anything reads a body or touches the database.
    "inventory_site.middleware.DatabaseOutageMiddleware",
    "inventory_site.middleware.ChunkedBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.ops.routing.ReplicaMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inventory_site.urls"
WSGI_APPLICATION = "inventory_site.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue (up to the
    # timeout) instead of failing with "database is locked" when upgrading a read lock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# --- ops: PgBouncer, read replicas ---------------------------------------------------------
# Behind PgBouncer in transaction pooling (DATABASE_PGBOUNCER=1) a connection is a different
# server session at each transaction: no server-side cursors (they outlive a transaction)
# and no prepared statements (psycopg would prepare on one session and run on another).
if env_flag("DATABASE_PGBOUNCER") and "postgresql" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

# Reads that may lag (see apps/ops/routing.py) go to these copies of the primary.
for _index, _url in enumerate(
    u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()
):
    _replica = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    if env_flag("DATABASE_PGBOUNCER"):
        _replica["DISABLE_SERVER_SIDE_CURSORS"] = True
        _replica["OPTIONS"]["prepare_threshold"] = None
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_index}"] = _replica
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["apps.ops.routing.ReplicaRouter"]
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "5"))
REPLICA_RETRY_SECONDS = int(os.environ.get("REPLICA_RETRY_SECONDS", "10"))

# Rate limits count per process unless the cache is shared: set REDIS_URL in production
# (several gunicorn workers), e.g. redis://127.0.0.1:6379/0.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["inventory_site.formats"]  # the admin's one date format

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request bodies above 5 MB are refused (413); each door renders that in its own shape.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_OBJECTS_PER_REQUEST = 1000

REST_FRAMEWORK = {
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.api.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Inventory service API",
    "DESCRIPTION": (
        "One stock ledger behind three published dialects: RootFi/Commenda V4 (`/v4/...`, "
        "header `api_key`), Zettle inventory (`/organizations/self/...`, Bearer token) and the "
        "retail store feed (`/api/product/inventory`, Bearer token)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Doors answer with and without a trailing slash; the schema lists each path once.
    "PREPROCESSING_HOOKS": ["inventory_site.schema.one_path_per_endpoint"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inventory_site.schema.published_paths",
        "inventory_site.schema.documented_refusals",
        "inventory_site.schema.selectable_list_rows",
    ],
    "ENUM_NAME_OVERRIDES": {
        "InventoryStatusEnum": "apps.inventory.models.Status",
        "ItemStatusEnum": "apps.catalog.models.Item.Status",
        "ItemTypeEnum": "apps.catalog.models.Item.Type",
    },
}

LOGIN_URL = "admin:login"

# Webhook subscriptions (apps/webhooks): a destination on localhost or a loopback, private,
# link-local or unspecified address, and plain http://, only when this is exactly "1"
# (tests, private networks). Any other value refuses them.
WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = os.environ.get("WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS") == "1"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# --- Security: TLS proxy, admin login throttle, Content-Security-Policy -------------------
# X-Forwarded-Proto and X-Forwarded-For are only the truth when a proxy in front overwrites
# them; an operator who exposes gunicorn directly sets DJANGO_BEHIND_TLS_PROXY=0, else any
# client could claim HTTPS (or another address).
BEHIND_TLS_PROXY = env_flag("DJANGO_BEHIND_TLS_PROXY", True)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# django-axes: failed admin logins are counted per username and, separately, per client
# address in Django's cache (shared by every node when REDIS_URL is set); at the limit, that
# username or address is refused for the cool-off, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
AXES_CLIENT_IP_CALLABLE = "inventory_site.middleware.client_address"
AXES_VERBOSE = True
if not os.environ.get("REDIS_URL"):
    # Without REDIS_URL the cache is per process: each gunicorn worker counts on its own
    # (development); production sets REDIS_URL so every node shares one count.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

# django-csp: the admin, its record chart (inline SVG) and the API docs need nothing but
# this origin (and data: images for the admin's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- ops: probes and metrics ---------------------------------------------------------------
# /healthz, /readyz and /metrics are answered by apps.ops.probes before SecurityMiddleware;
# the exemption keeps them on plain HTTP should that middleware ever come first.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
METRICS_ALLOWED_IPS = [
    ip.strip()
    for ip in os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",")
    if ip.strip()
]
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- ops: logs ------------------------------------------------------------------------------
# DJANGO_LOG_FORMAT=json: every line is a JSON object, and each request writes one
# (apps.ops.requests: time, request_id, company, door, method, path, status, duration_ms,
# queries). Plain format logs requests only at DJANGO_LOG_LEVEL=INFO or below.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain").strip().lower()
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own console handler (plain text, DEBUG only) and mail_admins.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Every refused or locked-out admin login, with username and address.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "inventory.request": {
            "handlers": ["console"],
            "level": "INFO" if LOG_FORMAT == "json" else LOG_LEVEL,
            "propagate": False,
        },
    },
}
