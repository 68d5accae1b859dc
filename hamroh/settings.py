"""Hamroh settings, read from the environment.

Two modes:

* ``HAMROH_ENV=development`` (the default): embedded SQLite in the data folder,
  a secret key generated once and kept in that folder, localhost only.
* ``HAMROH_ENV=production``: every secret and host must come from the
  environment; Hamroh refuses to start with an unsafe default.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


HAMROH_ENV = os.environ.get("HAMROH_ENV", "development").strip().lower()
if HAMROH_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"HAMROH_ENV must be 'development' or 'production', not {HAMROH_ENV!r}."
    )
PRODUCTION = HAMROH_ENV == "production"

DATA_DIR = Path(os.environ.get("HAMROH_DATA_DIR", PROJECT_DIR / "data")).resolve()

# Development keys are random per installation and never shipped in the code.
INSECURE_KEY_PREFIX = "django-insecure"


def _development_secret_key() -> str:
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or ("" if PRODUCTION else _development_secret_key())


def _development_field_key() -> str:
    key_file = DATA_DIR / "field_key"
    if key_file.exists():
        return key_file.read_text().strip()
    from cryptography.fernet import Fernet

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


# Keys for personal fields encrypted at rest (hamroh.core.crypto), newest first.
HAMROH_FIELD_KEYS = env_list("HAMROH_FIELD_KEYS", []) or (
    [] if PRODUCTION else [_development_field_key()]
)
DEBUG = env_bool("HAMROH_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'hamroh.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or ("" if PRODUCTION else DEFAULT_DATABASE_URL)


def check_production_settings() -> None:
    """Refuse to run in production with a default that is only safe on a laptop."""
    problems = []
    if not SECRET_KEY or len(SECRET_KEY) < 40 or SECRET_KEY.startswith(INSECURE_KEY_PREFIX):
        problems.append("SECRET_KEY must be set to a random value of at least 40 characters")
    if DEBUG:
        problems.append("HAMROH_DEBUG must be off")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the public host names")
    if not DATABASE_URL:
        problems.append("DATABASE_URL must be set (PostgreSQL)")
    if not HAMROH_FIELD_KEYS:
        problems.append("HAMROH_FIELD_KEYS must hold at least one key (32 bytes, URL-safe base64)")
    if problems:
        raise ImproperlyConfigured(
            "Hamroh refuses to start in production mode: " + "; ".join(problems) + "."
        )


if PRODUCTION:
    check_production_settings()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "hamroh.core",
    "hamroh.identity",
    "hamroh.registry",
    "hamroh.recruitment",
    "hamroh.assistance",
    "hamroh.screening",
    "hamroh.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hamroh.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hamroh.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hamroh.urls"
WSGI_APPLICATION = "hamroh.wsgi.application"

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
                "django.template.context_processors.i18n",
                "hamroh.core.context_processors.hamroh",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock up front, so the audit chain never forks.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hamroh_cache",
        }
    }

# Background work (screening runs, imports, notifications, exchange retries) goes through
# Django's tasks API. The database backend needs no other service: `hamroh worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("HAMROH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:desk"
LOGOUT_REDIRECT_URL = "core:portal"

# Sessions end after 30 idle minutes (each request renews them) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("HAMROH_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("HAMROH_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

# Login throttling: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("HAMROH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hamroh.core.views.login_locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("HAMROH_PROXY_COUNT", "0")) or None

LANGUAGE_CODE = "tg"
LANGUAGES = [
    ("tg", _("Tajik")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Each language's own name, for the switcher: a reader must find their language
# even when the page is in one they do not read.
LANGUAGE_AUTONYMS = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("HAMROH_TIME_ZONE", "Asia/Dushanbe")
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("HAMROH_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hamroh.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamroh API",
    "DESCRIPTION": "Safe, orderly labour migration: the single window's machine interface.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Logs carry request ids, never names, documents or query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hamroh.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HAMROH_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs the full path of failing requests; ours carry no personal data,
        # but query strings might, so request logs stay at ERROR without arguments.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Messages to reporters and screened people (hamroh/core/messaging.py, docs/assistance.md
# "Channels"). A channel without its settings sends nothing: its messages stay queued.
HAMROH_TELEGRAM_TOKEN = os.environ.get("HAMROH_TELEGRAM_TOKEN", "")
HAMROH_TELEGRAM_API = os.environ.get("HAMROH_TELEGRAM_API", "https://api.telegram.org")
HAMROH_TELEGRAM_BOT_USERNAME = os.environ.get("HAMROH_TELEGRAM_BOT_USERNAME", "").lstrip("@")
HAMROH_SMS_GATEWAY_URL = os.environ.get("HAMROH_SMS_GATEWAY_URL", "")
HAMROH_SMS_GATEWAY_TOKEN = os.environ.get("HAMROH_SMS_GATEWAY_TOKEN", "")
HAMROH_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("HAMROH_MESSAGE_MAX_ATTEMPTS", "6"))
HAMROH_MESSAGE_TIMEOUT = float(os.environ.get("HAMROH_MESSAGE_TIMEOUT", "10"))

HAMROH_HELPLINE = os.environ.get("HAMROH_HELPLINE", "+992 37 221-21-21 · 19-19")
CSRF_FAILURE_VIEW = "hamroh.core.views.csrf_failure"
