"""Settings shared by every environment; everything environment-specific comes from `env`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from csp import constants as _csp

from movehub.settings.env import BASE_DIR, env, redis_url_with_db, secret

SECRET_KEY = secret("DJANGO_SECRET_KEY")
DEBUG = False  # dev.py turns it on; no environment switch, so production cannot be flipped by one
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_prometheus",
    # ours
    "apps.core",
    "apps.accounts",
    "apps.companies",
    "apps.verification",
    "apps.pricing",
    "apps.bookings",
    "apps.tracking",
    "apps.cargo",
    "apps.demo",
    "csp",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (docs/dashboards.md); policy below.
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.ApiExceptionMiddleware",
    # axes last: it answers locked-out logins itself
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "movehub.urls"
ASGI_APPLICATION = "movehub.asgi.application"
WSGI_APPLICATION = None

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
                "apps.companies.dashboard.staff_context",
            ],
        },
    },
]

# --- data stores -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", engine="django.contrib.gis.db.backends.postgis")}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# A psycopg connection pool per process. Under ASGI every request runs its ORM work on a fresh
# thread, so without a pool each request would open (and warm up) a new PostgreSQL session:
# measured at 1.00 new sessions per request by bench/company_search.py. With the pool,
# CONN_MAX_AGE must be 0 (connections go back to the pool at the end of each request).
DATABASE_POOL = env.bool("DATABASE_POOL", default=True)
if DATABASE_POOL:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        # How long a request waits for a pooled connection before it answers 503
        # (service_unavailable): short, so that a database outage answers fast.
        "timeout": env.float("DATABASE_POOL_TIMEOUT_SECONDS", default=2.0),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# libpq's connect timeout (whole seconds; libpq treats 1 as 2).
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
    "DATABASE_CONNECT_TIMEOUT_SECONDS", default=2
)
# /ready/ gives up on the database after this long (its pool wait and its connect timeout).
READY_DATABASE_TIMEOUT_SECONDS = env.float("READY_DATABASE_TIMEOUT_SECONDS", default=0.5)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode server-side cursors must be off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_PGBOUNCER", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Three key spaces, one logical database each, so that clearing the cache (FLUSHDB) never
# deletes queued Celery tasks or channel-layer messages: the cache uses REDIS_URL's database,
# the Celery broker CELERY_BROKER_URL (default: database 1 of REDIS_URL's server) and the
# channel layer CHANNEL_LAYER_REDIS_URL (default: database 2). See movehub/settings/celery.py.
REDIS_URL = env.str("REDIS_URL")
CHANNEL_LAYER_REDIS_URL = env.str("CHANNEL_LAYER_REDIS_URL", default="") or redis_url_with_db(
    REDIS_URL, 2
)
# Short Redis timeouts: when Redis is down or unreachable, requests answer (fail open or 503,
# see apps/core/throttling.py) within about this long instead of hanging.
REDIS_CONNECT_TIMEOUT_SECONDS = env.float("REDIS_CONNECT_TIMEOUT_SECONDS", default=0.5)
REDIS_SOCKET_TIMEOUT_SECONDS = env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=1.0)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="movehub"),
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
        },
    }
}

# --- auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/dashboard/login/"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the (account, client address) pair: one attacker cannot lock every account out from one
# address, nor lock a victim out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address is REMOTE_ADDR, everywhere: throttles (DRF, NUM_PROXIES=0) and lockouts
# (axes) read nothing else. Behind a reverse proxy, list the proxies' addresses or networks in
# MOVEHUB_TRUSTED_PROXIES (comma-separated; none by default): movehub/asgi.py then takes the
# client address from X-Forwarded-For (and the scheme from X-Forwarded-Proto) only for requests
# whose direct peer is one of them. Run the ASGI server with --no-proxy-headers (Procfile,
# Dockerfile) so it does not rewrite the address itself (uvicorn trusts loopback by default).
MOVEHUB_TRUSTED_PROXIES = env.list("MOVEHUB_TRUSTED_PROXIES", default=[])
if env.str("NUM_PROXIES", default=""):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "NUM_PROXIES is no longer read: name the proxies in MOVEHUB_TRUSTED_PROXIES instead."
    )
NUM_PROXIES = 0
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = None
AXES_RESET_ON_SUCCESS = True

OTP_TOTP_ISSUER = "MoveHub"
# One-time login codes for customers (apps.accounts).
OTP_CODE_TTL_SECONDS = env.int("OTP_CODE_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)

# --- i18n / time -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {
        "BACKEND": (
            "storages.backends.s3.S3Storage"
            if AWS_STORAGE_BUCKET_NAME
            else "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = 300

# Request bodies: JSON up to 1 MiB (413 beyond, before the body is read: apps/core/asgi.py, and
# ApiBodyLimitMiddleware for in-process clients).
API_MAX_JSON_BODY_BYTES = 1024 * 1024
API_MAX_JSON_DEPTH = 32
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- REST framework --------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the API's bodies nest objects that forms cannot carry. Views that take files
    # (document uploads) declare MultiPartParser themselves.
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "otp_destination": env.str("THROTTLE_OTP_DESTINATION", default="3/10min"),
        "otp_ip": env.str("THROTTLE_OTP_IP", default="20/hour"),
        "login": env.str("THROTTLE_LOGIN", default="30/min"),
    },
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MoveHub API",
    "DESCRIPTION": "Verified movers, instant quotes, bookings, live tracking, shared loads.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Channels ---------------------------------------------------------------------------------
# Redis Pub/Sub by default: bench/gps_fanout.py measured it delivering every message where the
# list-based RedisChannelLayer dropped 2 % at 500 watchers (its per-channel list is capped) and
# sustaining 4x the broadcast ceiling; its at-most-once delivery suits live positions (the next
# one replaces the last; REST gives late joiners the state). docs/tracking.md has the figures.
# redis-py caps a pool at 100 connections, which connect storms exceed: the cap is a setting.
CHANNEL_LAYERS: dict[str, Any] = {
    "default": {
        "BACKEND": env.str(
            "CHANNEL_LAYER_BACKEND", default="channels_redis.pubsub.RedisPubSubChannelLayer"
        ),
        "CONFIG": {
            "hosts": [
                {
                    "address": CHANNEL_LAYER_REDIS_URL,
                    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
                    "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=1000),
                }
            ],
            "prefix": env.str("CHANNELS_PREFIX", default="movehub:asgi"),
        },
    }
}

# The ASGI server's garbage collector (movehub/asgi.py). A process holding thousands of
# sockets has millions of long-lived objects, and CPython's default thresholds (700, 10, 10)
# ran a full collection every few seconds under the GPS ingest, each one stopping the event
# loop for 0.5-3 s (bench/gps_ingest.py, docs/tracking.md). Startup objects are frozen out of
# collection; these thresholds make young collections rarer and full ones about 100x rarer.
ASGI_GC_THRESHOLDS = tuple(env.list("ASGI_GC_THRESHOLDS", cast=int, default=[50_000, 20, 100]))

# --- Celery -----------------------------------------------------------------------------------
from movehub.settings.celery import *  # noqa: E402,F403

# --- messaging --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MoveHub <no-reply@movehub.local>")
SMS_BACKEND = env.str("SMS_BACKEND", default="apps.core.messaging.HttpSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = secret("SMS_GATEWAY_TOKEN", default="")
# Dev outbox: keep every SMS and e-mail in the database (dev and test settings only).
OUTBOX_ENABLED = False

# --- logging ----------------------------------------------------------------------------------
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
from movehub.settings.logging import logging_config  # noqa: E402

LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)

PROMETHEUS_EXPORT_MIGRATIONS = False

SILENCED_SYSTEM_CHECKS = [
    # User.email is unique case-insensitively by a functional UniqueConstraint (Lower(email)),
    # which this check cannot see.
    "auth.W004",
    # Debian 12 ships GDAL 3.6. We never let GDAL open user-supplied files or URLs: geometries
    # arrive as GeoJSON and are parsed by GEOS.
    "gis.W001",
]
AXES_VERBOSE = False

# --- companies ---
# Staff invitations: how long the set-your-password link stays valid, and where it points: the
# dashboard's accept page (`{token}` is replaced; the token may also be POSTed to
# /api/v1/invitations/accept/).
COMPANY_INVITATION_MAX_AGE_SECONDS = env.int(
    "COMPANY_INVITATION_MAX_AGE_SECONDS", default=7 * 24 * 3600
)
COMPANY_INVITATION_URL = env.str(
    "COMPANY_INVITATION_URL",
    default="http://localhost:8000/dashboard/invitations/accept/?token={token}",
)

# --- accounts ---
# Dashboard session login (apps.accounts.urls under /dashboard/).
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/dashboard/login/"
# The choose-your-password link sent to a new company owner who has no password (signed in with
# a one-time code): the dashboard's password page (`{uidb64}` and `{token}` are replaced). The
# link dies once a password is set, or after PASSWORD_RESET_TIMEOUT seconds (default 3 days).
ACCOUNTS_PASSWORD_SET_URL = env.str(
    "ACCOUNTS_PASSWORD_SET_URL",
    default="http://localhost:8000/dashboard/password-reset/{uidb64}/{token}/",
)
# Customers' code checks per client address (code requests: "otp_ip" and "otp_destination").
# "Forgot your password?": reset mails per e-mail address (apps.accounts.forms).
THROTTLE_PASSWORD_RESET = env.str("THROTTLE_PASSWORD_RESET", default="3/hour")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["otp_verify_ip"] = env.str(
    "THROTTLE_OTP_VERIFY_IP", default="30/10min"
)
# Every login form and API posts the e-mail as "username" to authenticate(); axes counts it
# lower-cased, and answers lockouts in the API envelope (429 + Retry-After) or as a 429 page.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "apps.accounts.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.auth.lockout_response"
# django-otp's TOTP admin must not show other people's secret keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- verification ---
# A company is verified iff it has an approved, unexpired insurance policy (in its own currency,
# coverage >= VERIFICATION_MIN_COVERAGE), operating licence, >= 1 active truck with a registration
# and >= 1 driver with a licence (apps/verification/selectors.py). See README.md, "Verification".
from decimal import Decimal as _Decimal  # noqa: E402

from celery.schedules import crontab as _crontab  # noqa: E402

VERIFICATION_MIN_COVERAGE = _Decimal(env.str("VERIFICATION_MIN_COVERAGE", default="1000000.00"))
VERIFICATION_MAX_FILE_BYTES = env.int("VERIFICATION_MAX_FILE_BYTES", default=10 * 1024 * 1024)
# Multipart bodies larger than this are refused with 413 before they are read (a file over
# VERIFICATION_MAX_FILE_BYTES but under this cap gets a 400 naming the file).
VERIFICATION_MAX_UPLOAD_BODY_BYTES = 2 * VERIFICATION_MAX_FILE_BYTES
# Every multipart body (document uploads) is refused above this before it is read
# (apps/core/asgi.py); other bodies above API_MAX_JSON_BODY_BYTES.
API_MAX_MULTIPART_BODY_BYTES = VERIFICATION_MAX_UPLOAD_BODY_BYTES
VERIFICATION_UPLOAD_URL_EXPIRES_SECONDS = env.int(
    "VERIFICATION_UPLOAD_URL_EXPIRES_SECONDS", default=600
)
VERIFICATION_FILE_URL_EXPIRES_SECONDS = env.int("VERIFICATION_FILE_URL_EXPIRES_SECONDS", default=60)
VERIFICATION_REMINDER_DAYS = (30, 7, 1)
# Pre-signed URLs for documents: Signature V4 (V2 is deprecated and refused by newer regions).
AWS_S3_SIGNATURE_VERSION = env.str("AWS_S3_SIGNATURE_VERSION", default="s3v4")
VERIFICATION_REMINDER_MAX_ATTEMPTS = 5
CELERY_BEAT_SCHEDULE["verification-expiry-sweep"] = {  # noqa: F405
    "task": "apps.verification.tasks.verification_expiry_sweep_task",
    "schedule": _crontab(hour=0, minute=5),  # 00:05 UTC (CELERY_TIMEZONE), after midnight
}
# The safety net under the explicit recomputes: every company's status from its rows, nightly.
CELERY_BEAT_SCHEDULE["verification-status-recompute-all"] = {  # noqa: F405
    "task": "apps.verification.tasks.verification_status_recompute_all_task",
    "schedule": _crontab(hour=0, minute=35),  # after the expiry sweep
}

# --- pricing ---
# Road distance of a quote: "geodesic" (great circle x PRICING_ROAD_FACTOR, offline) or "osrm"
# (driving distance from the OSRM server at PRICING_OSRM_URL; falls back to geodesic when it
# cannot answer). How long an estimate's price holds (`expires_at`). See README.md, "Pricing".
PRICING_ROUTE_PROVIDER = env.str("PRICING_ROUTE_PROVIDER", default="geodesic")
PRICING_ROAD_FACTOR = env.str("PRICING_ROAD_FACTOR", default="1.3")
PRICING_OSRM_URL = env.str("PRICING_OSRM_URL", default="")
PRICING_OSRM_TIMEOUT_SECONDS = env.float("PRICING_OSRM_TIMEOUT_SECONDS", default=3.0)
PRICING_QUOTE_TTL_MINUTES = env.int("PRICING_QUOTE_TTL_MINUTES", default=60)

# --- bookings: scheduling ---
# The longest period one schedule may hold a truck and its crew; the widest availability query;
# the working day behind utilisation (available truck-hours = active trucks x this); the local
# hour a booking without a schedule or an arrival window is expected to start on its move date
# (what suggestions, reminders and the cancellation notice count from). See docs/bookings.md.
BOOKING_SCHEDULE_MAX_HOURS = env.int("BOOKING_SCHEDULE_MAX_HOURS", default=24)
BOOKING_AVAILABILITY_MAX_DAYS = env.int("BOOKING_AVAILABILITY_MAX_DAYS", default=14)
BOOKING_WORKDAY_HOURS = env.int("BOOKING_WORKDAY_HOURS", default=10)
BOOKING_WORKDAY_START_HOUR = env.int("BOOKING_WORKDAY_START_HOUR", default=8)

# --- bookings: reminders and notifications ---
# Reminders: the customer 24 h and 2 h before the start (the scheduled start, else the request's
# window start, else BOOKING_WORKDAY_START_HOUR on the move date, company local time); the
# crew at BOOKING_CREW_REMINDER_TIME (company local time) the evening before. The sweep runs
# every minute; a failed send is retried with backoff (1, 3, 7, 15 min after due) up to the cap;
# a reminder not sent within BOOKING_REMINDER_GRACE_MINUTES of its time is dropped (failed).
BOOKING_CREW_REMINDER_TIME = env.str("BOOKING_CREW_REMINDER_TIME", default="18:00")
BOOKING_REMINDER_GRACE_MINUTES = env.int("BOOKING_REMINDER_GRACE_MINUTES", default=60)
BOOKING_REMINDER_MAX_ATTEMPTS = 5
BOOKING_SWEEP_BATCH = env.int("BOOKING_SWEEP_BATCH", default=500)
# Notification e-mail/SMS not sent this long after the event (a lost task) are sent by the sweep.
BOOKING_DELIVERY_STALE_MINUTES = env.int("BOOKING_DELIVERY_STALE_MINUTES", default=15)
CELERY_BEAT_SCHEDULE["bookings-reminders-send-due"] = {  # noqa: F405
    "task": "apps.bookings.tasks.bookings_reminders_send_due_task",
    "schedule": 60.0,  # every minute
}
# Messages in a booking's thread, per sender.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["booking_message"] = env.str(
    "THROTTLE_BOOKING_MESSAGE", default="20/min"
)

# --- bookings: lifecycle, invoices, proof of delivery ---
# A scheduled job may be started at most this many hours before its scheduled start.
BOOKING_START_EARLIEST_HOURS = env.int("BOOKING_START_EARLIEST_HOURS", default=12)
# Wrong handover codes accepted per booking (within BOOKING_HANDOVER_LOCK_SECONDS) before code
# entry is locked and the completion must record a handover_note instead.
BOOKING_HANDOVER_MAX_ATTEMPTS = env.int("BOOKING_HANDOVER_MAX_ATTEMPTS", default=5)
BOOKING_HANDOVER_LOCK_SECONDS = env.int("BOOKING_HANDOVER_LOCK_SECONDS", default=24 * 3600)
# Proof-of-delivery photos (JPEG/PNG, judged by content): size cap and photos per booking.
BOOKING_PHOTO_MAX_BYTES = env.int("BOOKING_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
BOOKING_PHOTO_MAX_PER_BOOKING = env.int("BOOKING_PHOTO_MAX_PER_BOOKING", default=30)

# --- bookings: instant quotes and Idempotency-Key ---
# How long a move request's instant quotes hold (`expires_at`); accepting later is a 409.
BOOKINGS_QUOTE_TTL_HOURS = env.int("BOOKINGS_QUOTE_TTL_HOURS", default=48)
# How long an Idempotency-Key's first answer is kept and replayed (apps/core/idempotency.py).
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)
CELERY_BEAT_SCHEDULE["core-idempotency-prune"] = {  # noqa: F405
    "task": "apps.core.tasks.idempotency_prune_task",
    "schedule": 3600,  # hourly: expired keys are already ignored, this only frees the rows
}

# --- tracking: driver ingest and retention ---
# Positions are written in batches: a flush when this many rows are queued, or this many seconds
# after the first queued one (the ack and the watchers' event wait for its flush). 0.1 s keeps
# driver -> watcher p99 under 250 ms to 1,000 drivers (2,000 on a quiet machine) for ~10% more
# server CPU than 1 s and at most 10 store transactions/s per process; docs/tracking.md.
TRACKING_FLUSH_MAX_ROWS = env.int("TRACKING_FLUSH_MAX_ROWS", default=200)
TRACKING_FLUSH_SECONDS = env.float("TRACKING_FLUSH_SECONDS", default=0.1)
# Per driver socket: a token bucket of messages (a `positions` backlog counts as one).
TRACKING_DRIVER_MESSAGES_PER_SECOND = env.float("TRACKING_DRIVER_MESSAGES_PER_SECOND", default=5.0)
TRACKING_DRIVER_MESSAGES_BURST = env.float("TRACKING_DRIVER_MESSAGES_BURST", default=10.0)
# Retention (nightly beat job): positions older than TRACKING_THIN_AFTER_DAYS keep one fix a
# minute per driver; older than TRACKING_RETENTION_DAYS they are deleted; deletes in batches.
TRACKING_THIN_AFTER_DAYS = env.int("TRACKING_THIN_AFTER_DAYS", default=30)
TRACKING_RETENTION_DAYS = env.int("TRACKING_RETENTION_DAYS", default=365)
TRACKING_RETENTION_BATCH = env.int("TRACKING_RETENTION_BATCH", default=5000)
CELERY_BEAT_SCHEDULE["tracking-positions-retention"] = {  # noqa: F405
    "task": "apps.tracking.tasks.tracking_positions_retention_task",
    "schedule": _crontab(hour=3, minute=15),  # 03:15 UTC, a quiet hour
}

# --- tracking: watching (ETA, arrival, share links) ---
# A truck within this many metres of the next stop has arrived (one `arriving` event per stop).
TRACKING_ARRIVAL_RADIUS_M = env.float("TRACKING_ARRIVAL_RADIUS_M", default=200.0)
# A booking's ETA is recomputed at most once per this many seconds of position time.
TRACKING_ETA_MIN_INTERVAL_SECONDS = env.int("TRACKING_ETA_MIN_INTERVAL_SECONDS", default=30)
# The smoothed speed: EWMA (weight of the newest sample) over the last samples, never below the
# floor; the default speed is used while no position of the job carries a speed.
TRACKING_ETA_SPEED_SAMPLES = env.int("TRACKING_ETA_SPEED_SAMPLES", default=20)
TRACKING_ETA_SPEED_SMOOTHING = env.float("TRACKING_ETA_SPEED_SMOOTHING", default=0.3)
TRACKING_ETA_FLOOR_SPEED_KMH = env.float("TRACKING_ETA_FLOOR_SPEED_KMH", default=10.0)
TRACKING_ETA_DEFAULT_SPEED_KMH = env.float("TRACKING_ETA_DEFAULT_SPEED_KMH", default=40.0)
# Share links: lifetime when the creator gives none, and the longest allowed.
TRACKING_SHARE_LINK_DEFAULT_MINUTES = env.int("TRACKING_SHARE_LINK_DEFAULT_MINUTES", default=240)
TRACKING_SHARE_LINK_MAX_MINUTES = env.int("TRACKING_SHARE_LINK_MAX_MINUTES", default=24 * 60)
# Map tiles of the public share page (a Leaflet URL template such as
# https://tile.openstreetmap.org/{z}/{x}/{y}.png). Empty: the marker on a plain background.
TRACKING_SHARE_TILE_URL = env.str("TRACKING_SHARE_TILE_URL", default="")

# --- tracking: REST reads ---
# GET /api/v1/bookings/{id}/track/ returns at most this many points (the newest).
TRACKING_TRACK_MAX_POINTS = env.int("TRACKING_TRACK_MAX_POINTS", default=5000)

# --- dashboards: Content-Security-Policy (django-csp) ---
# No inline script anywhere: htmx, Leaflet and the pages' own code are static files. Inline
# <style> only with the per-response nonce (the invoice HTML). Map tiles may come from the tile
# server named by TRACKING_SHARE_TILE_URL; without one the maps draw on a plain background.
_tile_origin = ""
if TRACKING_SHARE_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    # Leaflet's {s} subdomain placeholder becomes a CSP wildcard: {s}.tile.example -> *.tile.example
    _tile_parts = _urlsplit(TRACKING_SHARE_TILE_URL.replace("{s}", "SUBDOMAIN"))
    _tile_origin = f"{_tile_parts.scheme}://{_tile_parts.netloc.replace('SUBDOMAIN', '*')}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_csp.SELF],
        "script-src": [_csp.SELF],
        "style-src": [_csp.SELF, _csp.NONCE],
        "img-src": [_csp.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": [_csp.SELF],
        "font-src": [_csp.SELF],
        "object-src": [_csp.NONE],
        "base-uri": [_csp.SELF],
        "form-action": [_csp.SELF],
        "frame-ancestors": [_csp.NONE],
    }
}
# Dashboards: the session key of the company a staff member works in (company switcher).
DASHBOARD_COMPANY_SESSION_KEY = "dashboard_company_id"

# --- cargo: route search ---
# Rendered route-search results stay in the cache (Redis) this long at most; invalidation by
# version keys makes them miss as soon as a trip they may contain changes. 0 turns it off.
CARGO_ROUTE_CACHE_SECONDS = env.int("CARGO_ROUTE_CACHE_SECONDS", default=300)
# --- cargo: shared loads ---
# A two-leg shipment changes truck at a hub: the second leg leaves at least CARGO_MIN_CONNECTION
# after the first arrives, and at most CARGO_MAX_CONNECTION. A trip holds its truck for at most
# CARGO_TRIP_MAX_HOURS (its allocation). See docs/cargo.md.
CARGO_MIN_CONNECTION = timedelta(minutes=env.int("CARGO_MIN_CONNECTION_MINUTES", default=120))
CARGO_MAX_CONNECTION = timedelta(minutes=env.int("CARGO_MAX_CONNECTION_MINUTES", default=48 * 60))
CARGO_TRIP_MAX_HOURS = env.int("CARGO_TRIP_MAX_HOURS", default=7 * 24)
