"""PainRehab settings: one module, driven by environment variables.

SQLite under ``var/`` by default; PostgreSQL when ``DATABASE_URL`` is set.
docs/deployment.md lists every variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("PAINREHAB_DEBUG")
# Demo mode seeds synthetic data and accepts the demo second factor; it only takes
# effect together with DEBUG (painrehab.accounts.checks refuses it otherwise).
DEMO_MODE = env_bool("PAINREHAB_DEMO")
DEMO_MFA_CODE = "000000"

VAR_DIR = Path(os.environ.get("PAINREHAB_VAR_DIR", BASE_DIR / "var"))


def _secret_key() -> str:
    key = os.environ.get("PAINREHAB_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise RuntimeError(
            "PAINREHAB_SECRET_KEY must be set when PAINREHAB_DEBUG is off"
        )
    # A development key kept beside the demo database, never in the repository.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "PAINREHAB_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("PAINREHAB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "painrehab.accounts.apps.PainRehabAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "painrehab.common",
    "painrehab.accounts",
    "painrehab.audit",
    "painrehab.patients",
    "painrehab.episodes",
    "painrehab.referrals",
    "painrehab.instruments",
    "painrehab.notes",
    "painrehab.careplans",
    "painrehab.messaging",
    "painrehab.homeprogram",
    "painrehab.education",
    "painrehab.scheduling",
    "painrehab.portal",
    "painrehab.outcomes",
    "painrehab.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "painrehab.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "painrehab.accounts.middleware.IdleTimeoutMiddleware",
    "painrehab.accounts.middleware.FamilyLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "painrehab.instruments.kiosk.KioskMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "painrehab.common.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "painrehab" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "painrehab.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'painrehab.sqlite3'}",
        conn_max_age=int(os.environ.get("PAINREHAB_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while a write commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (timetable solves): queued in the database, run by
# `painrehab db_worker` (started by `make demo`). docs/scheduling.md.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "timetable"],
    }
}
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# PASSWORD_HASHERS is deliberately not set: Django's default PBKDF2-SHA256 is the
# FIPS-approved choice (docs/decisions/0004-authentication.md).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out: five failed passwords for one username lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks to lock out by IP address too. Wards share workstations and the
    # hospital network reaches us through one proxy address, so an IP lock-out would
    # let one person lock out a whole ward. Lock-out is per username; password
    # spraying across usernames is rate-limited at the proxy (docs/deployment.md).
    "axes.W006",
]

# Sessions: database-backed (stateless app servers), 12 h absolute lifetime, and an
# idle time-out enforced on the server by painrehab.accounts.middleware.
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
IDLE_TIMEOUT_STAFF = timedelta(minutes=15)
IDLE_TIMEOUT_FAMILY = timedelta(minutes=15)
# A tablet handed to a child for questionnaires (instruments.kiosk) locks sooner.
KIOSK_IDLE_TIMEOUT = timedelta(minutes=5)
MFA_PENDING_TIMEOUT = timedelta(minutes=5)

# Transport security: on unless running the local demo over plain HTTP.
SECURE = env_bool("PAINREHAB_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = SECURE and env_bool("PAINREHAB_SSL_REDIRECT", default=True)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("PAINREHAB_BEHIND_PROXY")
if BEHIND_PROXY:
    # The TLS-terminating proxy sets this header; see docs/deployment.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = os.environ.get("PAINREHAB_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "painrehab" / "locale"]

# Uploaded files (referral attachments) are served only through access-checked views.
MEDIA_ROOT = Path(os.environ.get("PAINREHAB_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PAINREHAB_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "painrehab" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Logs carry request ids, never patient information (docs/security.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("PAINREHAB_LOG_LEVEL", "INFO"),
    },
    "loggers": {"axes": {"level": "WARNING"}},
}

OTP_TOTP_ISSUER = "PainRehab"
PROGRAM_NAME = os.environ.get("PAINREHAB_PROGRAM_NAME", "Pediatric Pain Rehabilitation")
PROGRAM_BEDS = int(os.environ.get("PAINREHAB_BEDS", "12"))
# Planned length of stay when admitting (days), and the clinic follow-up schedule
# after discharge (months).
PROGRAM_DEFAULT_STAY_DAYS = int(os.environ.get("PAINREHAB_DEFAULT_STAY_DAYS", "28"))
PROGRAM_STEP_DOWN_WEEKS = int(os.environ.get("PAINREHAB_STEP_DOWN_WEEKS", "4"))
PROGRAM_FOLLOW_UP_MONTHS = tuple(
    int(m) for m in os.environ.get("PAINREHAB_FOLLOW_UP_MONTHS", "1,3,6,12").split(",")
)

# The family portal (docs/portal.md). What guardians of a 12-17-year-old still see
# (categories of painrehab.domain.proxy.Category); psychotherapy notes, confidential
# entries and the teen's own check-in stay hidden from guardians whatever this says.
PORTAL_GUARDIAN_TEEN_SEES = tuple(
    c.strip()
    for c in os.environ.get(
        "PAINREHAB_PORTAL_GUARDIAN_TEEN_SEES",
        "schedule,messages,home_programme,discharge,goals,family_summary,outcomes,"
        "questionnaires,notes_medical",
    ).split(",")
    if c.strip()
)
PORTAL_VISITING_HOURS = tuple(
    os.environ.get("PAINREHAB_VISITING_HOURS", "17:00-20:00").split("-", 1)
)
PORTAL_UNIT_PHONE = os.environ.get("PAINREHAB_UNIT_PHONE", "(555) 010-0000")
PORTAL_INVITATION_DAYS = int(os.environ.get("PAINREHAB_INVITATION_DAYS", "7"))

# Invitations to the family portal go by e-mail: printed to the console in the demo.
EMAIL_BACKEND = os.environ.get(
    "PAINREHAB_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "PAINREHAB_FROM_EMAIL", "PainRehab <no-reply@example.org>"
)
