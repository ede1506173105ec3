"""Django settings for ClusterBroker.

Every deployment-specific value comes from an environment variable, so the
same settings serve a laptop (SQLite, debug) and production (PostgreSQL).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CLUSTERBROKER_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("CLUSTERBROKER_DEBUG", "1") == "1"
DEVELOPMENT_KEY = "insecure-development-key-set-CLUSTERBROKER_SECRET_KEY"
SECRET_KEY = os.environ.get("CLUSTERBROKER_SECRET_KEY", DEVELOPMENT_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_KEY:
    raise ImproperlyConfigured(
        "CLUSTERBROKER_SECRET_KEY must be set when CLUSTERBROKER_DEBUG=0 (see docs/deploy.md)."
    )
ALLOWED_HOSTS = os.environ.get(
    "CLUSTERBROKER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")

INSTALLED_APPS = [
    # The admin, with a site that answers odd ids in its URLs with a 404 (not a 500).
    "clusterbroker.ops.admin_site.GuardedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "csp",
    "axes",
    # Before allauth: its templates (log-in, sign-up, two-factor…) are overridden there.
    "clusterbroker.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "clusterbroker.web",
    "clusterbroker.registry",
    "clusterbroker.importers",
    "clusterbroker.events",
    "clusterbroker.brokering",
    "clusterbroker.community",
    "clusterbroker.plans",
    "clusterbroker.api",
    "clusterbroker.ops",
    "clusterbroker.notifications",
    "clusterbroker.invitations",
    "clusterbroker.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with a nonce per request), Permissions-Policy, Secure cookies
    # over HTTPS; before the session and CSRF middleware so that it sees their cookies.
    "csp.middleware.CSPMiddleware",
    "clusterbroker.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The site's 404 page also with DEBUG on (unless TECHNICAL_404_PAGE): see web/errors.py.
    "clusterbroker.web.errors.ErrorPagesMiddleware",
    "clusterbroker.web.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The signed-in person's language and time zone (their account settings); platform
    # admins without two-factor authentication are sent to set it up (MFA_REQUIRED_FOR_ADMINS).
    "clusterbroker.accounts.middleware.PreferencesMiddleware",
    # `?lang=fr` on a page (a link in a given language) speaks French, and remembers it.
    "clusterbroker.web.languages.LanguageParameterMiddleware",
    "clusterbroker.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history of registry and event records.
    "simple_history.middleware.HistoryRequestMiddleware",
]

if not DEBUG:
    # In production WhiteNoise serves the collected static files; in development runserver does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Login lock-out (django-axes) comes last: it sees the outcome of every login.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

ROOT_URLCONF = "clusterbroker.urls"
# With DEBUG on, a missing page shows the site's 404 page; "1" shows Django's technical page
# (the URL patterns tried) instead. 403 and 500 pages: see web/errors.py.
TECHNICAL_404_PAGE = os.environ.get("CLUSTERBROKER_TECHNICAL_404", "0") == "1"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "clusterbroker.community.context_processors.alerts",
                "clusterbroker.registry.context_processors.relation_requests",
                "clusterbroker.notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "clusterbroker.wsgi.application"

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'clusterbroker.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked":
    # a write transaction takes the lock when it begins, and waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English and the languages of the partnerships' regions (see web/languages.py); the site
# speaks those whose catalogue is complete, and a test holds them to it.
ALL_LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("de", "German"),
    ("it", "Italian"),
    ("es", "Spanish"),
    ("ca", "Catalan"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("nl", "Dutch"),
    ("fi", "Finnish"),
    ("et", "Estonian"),
]
SHIPPED_LANGUAGES = ["en", "fr", "de", "it", "es", "ca", "pt", "ro", "nl", "fi", "et"]
LANGUAGES = [(code, name) for code, name in ALL_LANGUAGES if code in SHIPPED_LANGUAGES]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Date and time formats: a 24-hour clock, no abbreviation point after a time or a month.
FORMAT_MODULE_PATH = ["clusterbroker.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# An upload larger than this is refused before it is read (imports of organisations).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("CLUSTERBROKER_IMPORT_MAX_BYTES", 20 * 1024 * 1024))

REGISTRY_PAGE_SIZE = 25

# Login lock-out: after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is locked out for the cool-off time; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CLUSTERBROKER_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CLUSTERBROKER_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("CLUSTERBROKER_PROXY_COUNT", 0)) or None
# The log-in form's field is "login" (a username or an e-mail address): failures are counted
# per account, whichever of the two was typed (see accounts/lockout.py).
AXES_USERNAME_CALLABLE = "clusterbroker.accounts.lockout.login_value"

# Accounts (django-allauth): sign-up with a verified e-mail address, log-in by e-mail or
# username; sign-up, log-in and password reset never tell whether an address has an account.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ClusterBroker] "
ACCOUNT_ADAPTER = "clusterbroker.accounts.adapter.AccountAdapter"
# Sign-up asks for the person's name too (it becomes their person in the registry).
ACCOUNT_SIGNUP_FORM_CLASS = "clusterbroker.accounts.forms.SignupForm"
ACCOUNT_SIGNUP_OPEN = os.environ.get("CLUSTERBROKER_SIGNUP_OPEN", "1") == "1"
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "root", "clusterbroker", "support"]
ACCOUNT_USERNAME_VALIDATORS = "clusterbroker.accounts.forms.username_validators"
# One address per account; a new one replaces the old once it is verified.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the person when their password or address changes
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed passwords are counted by django-axes alone (above): the adapter leaves allauth's
# "login_failed" limit to the second factor (wrong authenticator codes). allauth's other
# limits (sign-ups, reset e-mails, e-mail changes per address and minute) stay.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ClusterBroker"
# Platform admins (staff and superusers) must turn on two-factor authentication before they
# can do anything else: always in production; off by default in development (`make run`,
# whose demo admin would otherwise be stopped at once) and in the test settings.
MFA_REQUIRED_FOR_ADMINS = (
    os.environ.get("CLUSTERBROKER_MFA_REQUIRED_FOR_ADMINS", "0" if DEBUG else "1") == "1"
)

# Notices and their e-mails (docs/accounts.md, "Notifications"): links in e-mails start
# with the base URL.
CLUSTERBROKER_BASE_URL = os.environ.get("CLUSTERBROKER_BASE_URL", "http://127.0.0.1:8000")
CLUSTERBROKER_SITE_NAME = os.environ.get("CLUSTERBROKER_SITE_NAME", "ClusterBroker")
CLUSTERBROKER_EMAIL_MAX_ATTEMPTS = int(os.environ.get("CLUSTERBROKER_EMAIL_MAX_ATTEMPTS", 5))
CLUSTERBROKER_EMAIL_RETRY_MINUTES = float(os.environ.get("CLUSTERBROKER_EMAIL_RETRY_MINUTES", 1))

# The cache holds the log-in rate limits (wrong two-factor codes, password resets) and the
# registry's computed page data: in production one table in the database, shared by every
# web process (`clusterbroker createcachetable` creates it); in development the process's
# memory. "fragments" keeps rendered parts of pages in each process's memory, keyed by the
# registry's data version (registry/page_cache.py), so no process shows an outdated one.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "clusterbroker_cache",
    }
    if not DEBUG
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# The matching engine's index: built by the background task queue when the data change and
# read memory-mapped by every process from this directory (docs/deploy.md); "off": each
# process builds its own.
BROKERING_INDEX_DIR = os.environ.get(
    "CLUSTERBROKER_BROKERING_INDEX_DIR", str(DATA_DIR / "brokering-index")
)
if BROKERING_INDEX_DIR == "off":
    BROKERING_INDEX_DIR = None

# Search snapshot (see community/search/snapshot.py): built by `clusterbroker search-index
# build`; searches use it when it is there, with documents changed since kept in a delta.
SEARCH_INDEX_DIR = Path(os.environ.get("CLUSTERBROKER_SEARCH_INDEX_DIR", DATA_DIR / "search-index"))
SEARCH_INDEX_ENABLED = os.environ.get("CLUSTERBROKER_SEARCH_INDEX", "on") != "off"
SEARCH_INDEX_DELTA_LIMIT = int(os.environ.get("CLUSTERBROKER_SEARCH_INDEX_DELTA_LIMIT", 5_000))

# Background tasks (scheduling runs): done at once in a one-process installation;
# in production a database queue served by `clusterbroker db_worker` processes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CLUSTERBROKER_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# E-mail: the console in development, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "CLUSTERBROKER_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("CLUSTERBROKER_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CLUSTERBROKER_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("CLUSTERBROKER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CLUSTERBROKER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CLUSTERBROKER_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("CLUSTERBROKER_EMAIL_FROM", "ClusterBroker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers everywhere; HTTPS-only cookies and HSTS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy: scripts and style sheets from this site only, plus the inline
# <style> or <script> elements that carry the request's nonce ({{ CSP_NONCE }} in a template);
# no inline event handler, no style="…" attribute, no plug-in, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
CSRF_TRUSTED_ORIGINS = [
    origin
    for origin in os.environ.get("CLUSTERBROKER_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin
]
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("CLUSTERBROKER_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("CLUSTERBROKER_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("CLUSTERBROKER_HSTS_PRELOAD", "1") == "1"
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLUSTERBROKER_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
