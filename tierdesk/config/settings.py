"""tierdesk's one settings module, read from environment variables (see README.md)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tierdesk.config.env import (
    env_bool,
    env_choice,
    env_database,
    env_directory,
    env_int,
    env_list,
    env_str,
    env_time_zone,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent

DATA_DIR = env_directory("TIERDESK_DATA_DIR", PROJECT_DIR / "data")
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    # The embedded default keeps a generated key in the data folder, so sessions survive
    # restarts without asking anyone to invent a secret.
    from tierdesk.config.secret import data_dir_secret_key

    SECRET_KEY = data_dir_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tierdesk.organization",
    "tierdesk.cases",
    "tierdesk.notifications",
    "tierdesk.webhooks",
    "tierdesk.mailin",
    "tierdesk.onsite",
    "tierdesk.followups",
    "tierdesk.quality",
    "tierdesk.vendors",
    "tierdesk.knowledge",
    "tierdesk.reports",
    "tierdesk.assessment",
    "tierdesk.trainings",
    "tierdesk.transfer",
    "tierdesk.api",
    "tierdesk.jobs",
    "tierdesk.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_bootstrap5",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions and sign-in, which query the database: a lost database gives 503, not 500.
    "tierdesk.web.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tierdesk.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tierdesk.config.urls"
WSGI_APPLICATION = "tierdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tierdesk.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", DATA_DIR / "tierdesk.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organization.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The reports' figures as last built, shared by every web node through the database; a report is
# rebuilt when older than this or when a reader asks (see tierdesk/reports/snapshots.py).
REPORT_MAX_AGE = env_int("TIERDESK_REPORT_MAX_AGE_SECONDS", 300, maximum=86_400)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tierdesk_report_cache",
        "TIMEOUT": REPORT_MAX_AGE,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "zh-hans", dict(LANGUAGES))
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = env_directory("TIERDESK_UPLOAD_DIR", DATA_DIR / "uploads")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production runs collectstatic and sets STATIC_MANIFEST for hashed, compressed files;
        # the embedded default serves straight from the package through WhiteNoise's finders.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Mail goes out through SMTP when EMAIL_HOST is set; otherwise it is printed to the console,
# so the embedded default never tries to reach a mail server that is not there.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EMAIL_USE_TLS, EMAIL_USE_SSL: set at most one of them")
EMAIL_PORT = env_int(
    "EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25, minimum=1, maximum=65535
)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": EMAIL_PORT,
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": EMAIL_USE_TLS,
            "use_ssl": EMAIL_USE_SSL,
            "timeout": 30,
        },
    }
    if EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
del EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tierdesk <support@tierdesk.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and "localhost" not in ALLOWED_HOSTS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "LOG_LEVEL", "INFO", dict.fromkeys(["DEBUG", "INFO", "WARNING", "ERROR"])
        ),
    },
}

BOOTSTRAP5 = {"success_css_class": ""}

# --- tierdesk.webhooks: signed callbacks to other company systems --------------------------
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 5, minimum=1, maximum=60)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8, minimum=1, maximum=30)
# Retries wait about base, 2 x base, 4 x base ... (with jitter), never longer than the maximum.
WEBHOOKS_RETRY_BASE_SECONDS = env_int("WEBHOOKS_RETRY_BASE_SECONDS", 30, minimum=1, maximum=3600)
WEBHOOKS_RETRY_MAX_SECONDS = env_int(
    "WEBHOOKS_RETRY_MAX_SECONDS", 6 * 3600, minimum=1, maximum=7 * 24 * 3600
)
# Payloads link to the case at TIERDESK_BASE_URL (the notifications block reads it).

# --- tierdesk.notifications and tierdesk.jobs: mail to people, background jobs ------------
# Queued jobs live in the database: no broker for the embedded default; on PostgreSQL any number
# of `tierdesk worker` processes on any number of machines share the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Where people open tierdesk: mail links to the case there.
TIERDESK_BASE_URL = env_str("TIERDESK_BASE_URL", "http://127.0.0.1:8000")
if not TIERDESK_BASE_URL.startswith(("http://", "https://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TIERDESK_BASE_URL: expected an http:// or https:// URL, got {TIERDESK_BASE_URL!r}"
    )
# The sender of notifications; its domain also ends each mail's Message-ID.
TIERDESK_MAIL_FROM = DEFAULT_FROM_EMAIL
# A failed mail is tried again after 1, 2, 4 ... times the base delay, then given up on.
TIERDESK_MAIL_MAX_ATTEMPTS = env_int("TIERDESK_MAIL_MAX_ATTEMPTS", 8, minimum=1, maximum=30)
TIERDESK_MAIL_RETRY_SECONDS = env_int("TIERDESK_MAIL_RETRY_SECONDS", 60, minimum=1, maximum=3600)

# --- tierdesk.mailin: mail to the support address opens and updates cases ---
# The support address customers write to; mail from it (or from our own senders) is a loop.
MAILIN_ADDRESS = env_str("MAILIN_ADDRESS", "support@tierdesk.localhost")
# IMAP is fetched when a host is set; a local Maildir when a path is set; both may be.
MAILIN_IMAP_HOST = env_str("MAILIN_IMAP_HOST", "")
MAILIN_IMAP_TLS = env_choice(
    "MAILIN_IMAP_TLS", "ssl", {"ssl": "TLS from the start", "starttls": "STARTTLS", "none": "none"}
)
MAILIN_IMAP_PORT = env_int(
    "MAILIN_IMAP_PORT", 993 if MAILIN_IMAP_TLS == "ssl" else 143, minimum=1, maximum=65535
)
MAILIN_IMAP_USER = env_str("MAILIN_IMAP_USER", "")
if MAILIN_IMAP_HOST and not MAILIN_IMAP_USER:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MAILIN_IMAP_USER: required when MAILIN_IMAP_HOST is set")
MAILIN_IMAP_PASSWORD = env_str("MAILIN_IMAP_PASSWORD", "")
MAILIN_IMAP_FOLDER = env_str("MAILIN_IMAP_FOLDER", "INBOX")
MAILIN_IMAP_TIMEOUT = env_int("MAILIN_IMAP_TIMEOUT", 60, minimum=1, maximum=600)
# A private CA's certificate (PEM) to verify the IMAP server with; empty: the system's CAs.
MAILIN_IMAP_CA_FILE = env_str("MAILIN_IMAP_CA_FILE", "")
MAILIN_MAILDIR = env_str("MAILIN_MAILDIR", "")

# --- tierdesk.onsite: the printable on-site application (appendix A) ----------------------
# WeasyPrint reports each rendering stage at INFO; a PDF download is not worth a log line per stage.
LOGGING.setdefault("loggers", {})["weasyprint.progress"] = {"level": "WARNING"}

# --- tierdesk.audit: sign-in throttling, change history, HTTPS hardening, backups ----------
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["simple_history", "axes", "tierdesk.audit"]
# Changes made through a page are recorded with the signed-in person as their author.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "simple_history.middleware.HistoryRequestMiddleware",
)
# Axes goes last so it sees the response of the sign-in view it throttles.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# Only password sign-ins pass through authenticate(); API tokens are checked on their own and
# are not throttled by (or able to lock out) the person who owns them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TIERDESK_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("TIERDESK_LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=24 * 60)
)
# Keyed by username and address together: a colleague mistyping on a shared office address
# does not lock everyone out, and one address guessing many names is still counted per name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# One row per failed sign-in (who, from where, when), shown on the audit page.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failed sign-ins are kept in the database and shown on the audit page; no banner on every command.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "tierdesk.audit.views.locked_out"
# Behind a reverse proxy, set how many proxies add themselves to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("TIERDESK_PROXY_COUNT", 0, minimum=0, maximum=5) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# TIERDESK_HTTPS=true when people reach tierdesk over https (directly or through a proxy that
# sets X-Forwarded-Proto); off for the embedded http://127.0.0.1 default, whose cookies would
# otherwise never be sent back.
TIERDESK_HTTPS = env_bool("TIERDESK_HTTPS", TIERDESK_BASE_URL.startswith("https://"))
if TIERDESK_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int(
        "SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0, maximum=2 * 365 * 24 * 3600
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if AXES_IPWARE_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way promise to browser vendors about every subdomain; the operator
    # opts in with SECURE_HSTS_PRELOAD=true once the whole domain is on https.
    "security.W021",
]
