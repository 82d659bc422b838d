"""Safe Passage settings.

Everything comes from environment variables with safe defaults (see docs/operations.md):

- ``SAFEPASSAGE_ENV``: ``local`` (default) or ``production``. Production refuses to start
  without ``SECRET_KEY`` and ``ALLOWED_HOSTS``, and turns on every transport-security setting,
  so that ``manage.py check --deploy`` passes with no warnings.
- ``DATABASE_URL``: PostgreSQL when set; otherwise an embedded SQLite file in ``var/``.
- ``DEBUG``: off unless asked for, and never allowed in production.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from safepassage.core.settings_env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAFEPASSAGE_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("SAFEPASSAGE_ENV", "local")
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(
        f"SAFEPASSAGE_ENV must be 'local' or 'production', not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on in production")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts this service answers on")
else:
    SECRET_KEY = env_str("SECRET_KEY") or local_secret_key(VAR_DIR)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Demo conveniences (seed_demo, demo_otp) exist only outside production.
DEMO_TOOLS_ENABLED = not PRODUCTION

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "safepassage.core",
    "safepassage.audit",
    "safepassage.policy",
    "safepassage.workforce",
    "safepassage.people",
    "safepassage.applications",
    "safepassage.cases",
    "safepassage.screening",
    "safepassage.safeguarding",
    "safepassage.quality",
    "safepassage.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safepassage.core.middleware.SessionLifetimeMiddleware",
    "safepassage.core.middleware.StaffSignInRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safepassage.urls"
WSGI_APPLICATION = "safepassage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safepassage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safepassage.core.context_processors.service",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60)
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "safepassage.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
                # instead of failing half-way; WAL lets readers go on while one writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "safepassage.core.auth_backends.RoleBackend",
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
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_LINK_HOURS", default=72, minimum=1) * 3600

# django-axes: lock an account after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", default=30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for ip_address too. We lock the account, whatever the address: staff at one
# location share an address behind NAT, and locking the address would lock them all out.
# Rotating user agents or cookies does not get round a lock on the username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safepassage.core.views.auth.locked_out"
AXES_VERBOSE = False
AXES_HTTP_RESPONSE_CODE = 429
# Never record the password that was tried.
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", default=0) or None

# django-otp
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Safe Passage")
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions expire after idle time, and always after an absolute limit (core.middleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", default=30, minimum=1) * 60
# Saved when used, at most a minute apart, rather than on every request (core.middleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", default=10, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Languages and time -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The applicant portal speaks every language of the scheme; staff pages are in English and
# Arabic (STAFF_LANGUAGES). Dari is "fa-af", so that where its catalogue is silent gettext falls
# back to Farsi, which a Dari reader understands, rather than to English.
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Farsi")),
    ("fa-af", _("Dari")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("ckb", _("Kurdish (Sorani)")),
    ("am", _("Amharic")),
    ("so", _("Somali")),
    ("fr", _("French")),
    ("uk", _("Ukrainian")),
]
STAFF_LANGUAGES = ["en", "ar"]
LANG_INFO.update(
    {
        "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
        "am": {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"},
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    }
)
LANGUAGES_BIDI = ["ar", "fa", "fa-af", "ps", "ckb"]
LOCALE_PATHS = [BASE_DIR / "safepassage" / "locale"]
LANGUAGE_COOKIE_NAME = "safepassage_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "safepassage" / "static",
    # GOV.UK Frontend and MoJ Frontend, compiled by `make assets` (never committed).
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks here even when finders serve the files

# --- Uploaded files ---------------------------------------------------------------------------
# Applicants' documents live outside every public URL; only a permission-checked view reads them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))

# --- Applicant portal -------------------------------------------------------------------------
# One-time codes: how long one lives, how long five wrong ones lock a contact out, and how many
# one network address may have sent in an hour (generous: a camp may share one address).
APPLICANT_CODE_MINUTES = env_int("APPLICANT_CODE_MINUTES", default=15, minimum=1)
APPLICANT_LOCK_MINUTES = env_int("APPLICANT_LOCK_MINUTES", default=30, minimum=1)
APPLICANT_CODES_PER_ADDRESS_HOUR = env_int(
    "APPLICANT_CODES_PER_ADDRESS_HOUR", default=100, minimum=1
)

# --- Visa decisions ---------------------------------------------------------------------------
# A grant lets its holder travel within this many days of the decision.
VISA_GRANT_VALIDITY_DAYS = env_int("VISA_GRANT_VALIDITY_DAYS", default=90, minimum=1)
# The kinds of decision ("grant", "refuse") a second decision maker must agree before issue.
VISA_SECOND_PAIR_OF_EYES = env_list("VISA_SECOND_PAIR_OF_EYES", ["refuse"])
# The scheme's refusal reasons a decision maker may choose (applications.refusal_reasons); empty
# means every reason the scheme defines.
VISA_REFUSAL_REASONS = env_list("VISA_REFUSAL_REASONS", [])
# The security check's screening backend: a dotted path to a class with a ``name`` and a
# ``screen(subject)`` method (applications.security_providers.SecurityCheckProvider). The local
# one screens against the watch list an administrator loads; a government system plugs in as
# another class.
SECURITY_CHECK_PROVIDER = env_str(
    "SECURITY_CHECK_PROVIDER",
    "safepassage.applications.security_providers.LocalWatchListProvider",
)
# Biometrics: how far ahead an applicant can book, how soon the earliest slot is, how many times
# they can rebook, and how long before the appointment the task worker reminds them.
BIOMETRICS_BOOKING_DAYS = env_int("BIOMETRICS_BOOKING_DAYS", default=28, minimum=1)
BIOMETRICS_MINIMUM_NOTICE_HOURS = env_int("BIOMETRICS_MINIMUM_NOTICE_HOURS", default=12, minimum=0)
BIOMETRICS_REBOOKS = env_int("BIOMETRICS_REBOOKS", default=1, minimum=0)
BIOMETRICS_REMINDER_HOURS = env_int("BIOMETRICS_REMINDER_HOURS", default=48, minimum=1)

# --- Text messages ----------------------------------------------------------------------------
# The gateway is a boundary we do not own: the console backend prints, the file backend writes
# one file per message, and a real gateway is another backend (safepassage.core.sms).
SMS_BACKEND = env_str("SMS_BACKEND", "safepassage.core.sms.ConsoleSmsBackend")
SMS_FILE_PATH = VAR_DIR / "sms"

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Safe Passage <no-reply@safepassage.invalid>")
SERVICE_BASE_URL = env_str("SERVICE_BASE_URL", "http://127.0.0.1:8000")

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The nightly audit-chain verification runs at this hour, Europe/London.
AUDIT_VERIFY_HOUR = env_int("AUDIT_VERIFY_HOUR", default=2)

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safepassage.core.api_auth.ApiTokenAuthentication",
        "safepassage.core.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "safepassage.core.drf.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "safepassage.core.drf.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safe Passage API",
    "DESCRIPTION": (
        "Casework API for the safe-passage visa scheme and asylum registration and screening. "
        'Errors always have the shape {"error": {"code", "message", "fields"}}; '
        "unknown fields in a request body are rejected."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safepassage.core.api_schema.add_error_responses",
    ],
}

# --- Logging: never personal data; ids and codes only -----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # Splink narrates every step of training and prediction, with the SQL it writes.
        "splink": {"level": "WARNING"},
        "sqlglot": {"level": "WARNING"},
        # WeasyPrint logs each step of every render at INFO; a letter is not worth seven lines.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "safepassage.core.views.errors.csrf_failure"
AXES_ENABLE_ADMIN = False
FORMAT_MODULE_PATH = ["safepassage.formats"]

# --- Policy gate ------------------------------------------------------------------------------
# Rule packs by name; POLICY_PACK is the one in force. A deployment may add its own.
POLICY_PACKS = {"uk": "safepassage.policy.packs.uk.PACK"}
POLICY_PACK = env_str("POLICY_PACK", "uk")
