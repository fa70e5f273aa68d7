"""Settings, all read from the environment.

With no variable set the platform runs on its embedded default: SQLite, private files on
local disk, Celery tasks executed in-process. DATABASE_URL, REDIS_URL and the S3 variables
switch the services it uses; DEBUG off (once anything is configured) gives the production shape,
without another settings file.
"""

import base64
import hashlib
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A variable, or the content of the file named by NAME_FILE (Docker secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


DEBUG = env_bool("DEBUG", False)
# The production shape (a secret key of its own, HTTPS only, secure cookies, no demo data) follows DEBUG
# being off, whatever the database. Only a run with nothing configured at all (no DEBUG, SECRET_KEY,
# DATABASE_URL or ALLOWED_HOSTS: the tests of a fresh clone) keeps the local shape with DEBUG off;
# PRODUCTION=true or false says it explicitly.
NOTHING_CONFIGURED = not any(env(name) for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"))
PRODUCTION = env_bool("PRODUCTION", not (DEBUG or NOTHING_CONFIGURED))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required in the production shape (DEBUG off).")
    SECRET_KEY = "insecure-embedded-demo-key-never-used-in-production"

# Personal data (pseudonymised transfers, the OLINPE base) is encrypted at rest with these keys
# (odpe.encryption): 32 bytes each in URL-safe base64, comma-separated; the first encrypts, all decrypt
# (rotation). They live in the environment only, never in the database or a backup. The embedded demo
# derives one from SECRET_KEY; the production shape refuses to start without its own.
DATA_ENCRYPTION_KEYS = [key.strip() for key in env("DATA_ENCRYPTION_KEYS").split(",") if key.strip()]
if not DATA_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("DATA_ENCRYPTION_KEYS is required in the production shape (DEBUG off).")
    DATA_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"odpe-data-encryption:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
for _key in DATA_ENCRYPTION_KEYS:
    try:
        _valid = len(base64.urlsafe_b64decode(_key.encode("ascii"))) == 32
    except (ValueError, UnicodeEncodeError):
        _valid = False
    if not _valid:
        raise ImproperlyConfigured("Each DATA_ENCRYPTION_KEYS entry must be 32 bytes in URL-safe base64.")

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# Demo accounts share a published password and TOTP secret: never seeded in the production shape unless
# DEMO_DATA_ALLOWED=true says so (CI, benchmarks on a throw-away database).
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "csp",
    "odpe",
    "odpe.accounts",
    "conventions",
    "uploads",
    "uploads.olinpe",
    "uploads.transfers",
    "uploads.data_requests",
    "dashboards",
    "odpe.roof",  # above every app: the processes that span them
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "odpe.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "odpe.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "odpe.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "odpe.middleware.RejectUnreadableFormsMiddleware",
]

ROOT_URLCONF = "odpe.urls"
WSGI_APPLICATION = "odpe.wsgi.application"

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
                "odpe.context_processors.observatory",
            ],
            "builtins": ["odpe.templatetags.french"],
        },
    },
]

# CONN_MAX_AGE > 0 keeps each web process's connection between requests. A kept connection may be
# dead (the database restarted, a failover): the health check tests it before a request reuses it and
# opens a new one, so the first request after a restart does not fail. With 0 (the default), every
# request opens its own connection and nothing stale survives an outage.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'odpe.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Rate limits and TOTP codes already used live here; while Redis is unreachable, they are kept in each
    # web process's memory instead of failing every request that counts (odpe.cache).
    CACHES = {
        "default": {
            "BACKEND": "odpe.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker in production; without it, tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks record what they do in the database; nobody reads their results. Without results, enqueuing
# never subscribes to the result store: that subscription, failing while Redis was down, left the web
# process unable to enqueue anything until it was restarted.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "odpe")
# Seconds a file's check, and a dashboard's generation, may run before their worker kills them (the
# tasks' hard time limits; their soft limits come a tenth earlier).
VALIDATION_TIME_LIMIT = env_int("VALIDATION_TIME_LIMIT", 600)
DASHBOARD_TIME_LIMIT = env_int("DASHBOARD_TIME_LIMIT", 1800)
LONGEST_TASK = max(VALIDATION_TIME_LIMIT, DASHBOARD_TIME_LIMIT)
# A task taken by a worker that died before acknowledging it (late acknowledgement: killed mid-check,
# machine lost) stays in Redis and goes back to the queue this many seconds after its delivery, when a
# worker next looks (at its start, then every few minutes). It must exceed the longest task: a check
# still running would otherwise be handed to a second worker. The beat's sweep of stuck checks
# (uploads.services.requeue_stuck_validations) usually comes first; see there why both exist.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
if CELERY_VISIBILITY_TIMEOUT <= LONGEST_TASK:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT} s) must exceed the longest task time limit "
        f"({LONGEST_TASK} s): a task still running would be delivered to a second worker."
    )
# A broker that vanished without closing its connections must not hold a web request forever: the
# upload is committed first, and enqueued later by the sweep if Redis does not answer.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5
CELERY_TIMEZONE = "Europe/Paris"
# The beat's schedule is in odpe/celery.py, with the app.

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no open sign-up (people come by invitation), second factor by TOTP.
ACCOUNT_ADAPTER = "odpe.accounts.adapter.InvitationOnlyAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# allauth's limiter also guards our own actions (odpe.ratelimits.rate_limited): one cache, one
# 429 page. Each of our actions needs its rate here; an unknown action fails at start-up.
# Failed sign-ins (odpe.accounts.adapter.pre_authenticate) are counted per account, never only per
# address: behind a proxy or an office's NAT, many people share one address. One account: 5 failures
# in 5 minutes from one address, 10 in 15 minutes from anywhere (allauth keys « login_failed » on the
# e-mail tried, and on the account for second-factor codes: at most 40 guesses an hour). One address
# over every account: 30 in 5 minutes, six times what one person mistyping needs, which still stops
# trying one password on many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/15m/key",
    "login_failed_address": "30/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,5/m/key",
    "invite_person": env("RATE_LIMIT_INVITATIONS", "20/h/user"),
    "upload_table": env("RATE_LIMIT_UPLOADS", "60/h/user"),
    "share_document": env("RATE_LIMIT_DOCUMENTS", "20/h/user"),
    "remind_partners": env("RATE_LIMIT_REMINDERS", "5/h/user"),
}
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For entries are trusted: rate
# limits per address must see the person's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("OBSERVATORY_SHORT_NAME", "ODPE")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
# Days each category of data is kept once it no longer serves (odpe.roof.retention purges it daily; the
# privacy page lists them). Counted from: a version leaving the review (superseded, returned, refused by the
# checks) for its bytes; the refusal for a refused file's name and comment; the event for an audit row's IP
# address; the last sign-in (or the account's creation) of a person who holds no role any more; an
# invitation's acceptance, revocation or expiry.
RETENTION = {
    "uploaded_files": env_int("RETENTION_UPLOADED_FILES_DAYS", 365),
    "refused_file_metadata": env_int("RETENTION_REFUSED_FILES_DAYS", 90),
    "audit_ip_addresses": env_int("RETENTION_AUDIT_IP_DAYS", 365),
    "inactive_accounts": env_int("RETENTION_INACTIVE_ACCOUNTS_DAYS", 365),
    "invitations": env_int("RETENTION_INVITATIONS_DAYS", 90),
    # Pseudonymised datasets, counted from their data-transfer convention's closure (PIPASE art. 4.1:
    # « conservées jusqu'à la clôture »).
    "transfer_datasets": env_int("RETENTION_TRANSFER_DATASETS_DAYS", 0),
    # Counted from the end of a base's year. The path indicators follow a child over the earlier bases:
    # six years keep a placement prepared by years of work in the family and a return within the year.
    "olinpe_bases": env_int("RETENTION_OLINPE_BASES_DAYS", 6 * 365),
}

# Days the recipient of a data-transfer convention has to send the Département its notices: the deletion
# at closure (PIPASE art. 3.3) and the reception of new data (art. 4.2, « dès la réception »); then days
# between two reminders to its correspondents while one is overdue (the daily run).
DEPARTMENT_NOTICE_DAYS = {
    "deletion": env_int("DELETION_NOTICE_DAYS", 30),
    "reception": env_int("RECEPTION_NOTICE_DAYS", 7),
}
NOTICE_REMINDER_DAYS = env_int("NOTICE_REMINDER_DAYS", 7)


# guardian: per-partner rights only; no anonymous user object.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Private files live outside any publicly served folder; they are only ever streamed by
# permission-checked views. With S3 variables, django-storages keeps them in a private bucket.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
LOGO_MAX_BYTES = env_int("LOGO_MAX_BYTES", 1024 * 1024)
SIGNED_DOCUMENT_MAX_BYTES = env_int("SIGNED_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Partners' yearly workbooks: refused above this size, and checked within these bounds.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
# What the spreadsheet reader may hold for one sheet, estimated before it reads: the default keeps the
# upload worker (about 135 MB before it reads) under 400 MB; a lighter process may be given more.
VALIDATION_READER_MAX_BYTES = env_int("VALIDATION_READER_MAX_BYTES", 232 * 1024 * 1024)
# Pseudonymised datasets received under a data-transfer convention (CSV or .xlsx): refused above this size.
TRANSFER_MAX_BYTES = env_int("TRANSFER_MAX_BYTES", 100 * 1024 * 1024)
# Studies and analyses shared on the extranet (PDF or office documents): refused above this size.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# Seconds a published dashboard's page, made once for every visitor without an account, is kept in each
# web process (dashboards.rendering.shared_page): a correction or a withdrawal reaches them within it.
SHARED_PAGE_SECONDS = env_int("SHARED_PAGE_SECONDS", 30)
# Statistical confidentiality: counts from 1 to below this threshold are masked outside the ODPE team.
DISCLOSURE_THRESHOLD = env_int("DISCLOSURE_THRESHOLD", 5)
# A value moving by more than this ratio from the partner's last accepted year gets a warning.
VALIDATION_CHANGE_RATIO = float(env("VALIDATION_CHANGE_RATIO", "0.5"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "odpe@localhost")


def env_colour(name: str, default: str) -> str:
    """A CSS hex colour: the value goes into a stylesheet, so nothing else gets through."""
    value = env(name, default).strip()
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value):
        raise ImproperlyConfigured(f"{name} must be a colour like #1f4e79, not {value!r}.")
    return value


# The observatory's identity (one deployment serves one département).
OBSERVATORY = {
    "name": env("OBSERVATORY_NAME", "Observatoire départemental de la protection de l'enfance"),
    "short_name": env("OBSERVATORY_SHORT_NAME", "ODPE"),
    "department": env("OBSERVATORY_DEPARTMENT", "Loire"),
    "primary_colour": env_colour("OBSERVATORY_PRIMARY_COLOUR", "#1f4e79"),
    "accent_colour": env_colour("OBSERVATORY_ACCENT_COLOUR", "#c8553d"),
}

# The public pages (odpe.public_pages): legal notice, accessibility statement, personal data, contact.
ACCESSIBILITY_LEVELS = ("none", "partial", "full")  # RGAA: non, partiellement, totalement conforme
PUBLIC_PAGES = {
    "publisher": env("OBSERVATORY_PUBLISHER", f"Département de la {OBSERVATORY['department']}"),
    "publisher_address": env("OBSERVATORY_PUBLISHER_ADDRESS"),
    "publication_director": env("OBSERVATORY_PUBLICATION_DIRECTOR", "Le président du Département"),
    "host_name": env("OBSERVATORY_HOST_NAME", f"Département de la {OBSERVATORY['department']}"),
    "host_address": env("OBSERVATORY_HOST_ADDRESS"),
    "contact_email": env("OBSERVATORY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL),
    "dpo_name": env("DPO_NAME", "Délégué à la protection des données du Département"),
    "dpo_email": env("DPO_EMAIL", env("OBSERVATORY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)),
    "dpo_address": env("DPO_ADDRESS"),
    # Unless an audit says otherwise, the platform is « non conforme » (no RGAA audit yet).
    "accessibility_level": env("ACCESSIBILITY_LEVEL", "none"),
    "accessibility_audit": env("ACCESSIBILITY_AUDIT"),  # who audited, when, and the rate of conformity
}
if PUBLIC_PAGES["accessibility_level"] not in ACCESSIBILITY_LEVELS:
    raise ImproperlyConfigured(f"ACCESSIBILITY_LEVEL must be one of {', '.join(ACCESSIBILITY_LEVELS)}.")

# A session lasts at most SESSION_COOKIE_AGE from sign-in, and ends sooner after
# SESSION_IDLE_TIMEOUT without a request (odpe.accounts.middleware.SessionTimeoutMiddleware).
# Sessions read from the cache (Redis in production) and written through to the database: one query
# less on every signed-in request, and nothing lost when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "odpe.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything comes from the platform itself and nothing
# runs inline. No template holds an inline script (tests/test_security_headers.py checks them
# all); the observatory's colours come from a small stylesheet view (/observatory.css) rather
# than an inline <style>, so no nonce is needed and pages stay cacheable. data: images are
# allowed for one thing: the TOTP QR code, which allauth shows as an SVG data URI.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every log line goes through the redaction filter: invitation links carry a secret token.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "odpe.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
