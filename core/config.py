"""Settings from the environment with safe defaults (SQLite in instance/)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from core.paths import project_folder


class ConfigError(RuntimeError):
    """Misconfiguration found at start-up; the message says how to fix it."""


# vietqr and gateway are the payment providers (issue 12): a unit offers them once it enables and configures them.
DEFAULT_PLUGINS = ("civil_status", "land", "social_welfare", "vietqr", "gateway")


def _secret_key(instance_path: Path, env: str, given: str | None) -> str:
    key = given or os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise ConfigError(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string, "
            "e.g. `export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`."
        )
    # Development: generate once and keep it, so sessions survive restarts and every worker agrees.
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def installed_plugins() -> tuple[str, ...]:
    """The built-in plugins to load: ``MOTCUA_PLUGINS`` (comma-separated), else ``DEFAULT_PLUGINS``."""
    plugins = os.environ.get("MOTCUA_PLUGINS")
    return tuple(p.strip() for p in plugins.split(",") if p.strip()) if plugins else DEFAULT_PLUGINS


def load_config(instance_path: str, secret_key: str | None = None) -> dict:
    """Build the Flask config mapping from environment variables (``secret_key``: the caller's own, e.g. a test's,
    so that no key file is written)."""
    instance = Path(instance_path)
    env = os.environ.get("MOTCUA_ENV", "development")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'motcua.sqlite'}"
    from core.signing import settings_from_environment as signing_settings

    return {
        # Electronic results: who signs and with what (core.signing), which roots a verification trusts.
        **signing_settings(instance),
        "ENV_NAME": env,
        "SECRET_KEY": _secret_key(instance, env, secret_key),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # No ping before every checkout: only connections idle this long are pinged (core.dbping, issue 16).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "DB_IDLE_PING_SECONDS": float(os.environ.get("DB_IDLE_PING_SECONDS", "10")),
        "PORT": int(os.environ.get("PORT", "8000")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR") or str(instance / "uploads"),
        # Signed electronic results (core.results) kept as files; saved by `flask backup create` with UPLOAD_DIR.
        "RESULTS_DIR": os.environ.get("RESULTS_DIR") or str(instance / "results"),
        # Where uploads and results are stored (core.storage): the folders above, or an S3-compatible bucket.
        "STORAGE_BACKEND": os.environ.get("STORAGE_BACKEND", "filesystem"),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_PREFIX": os.environ.get("S3_PREFIX", ""),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "INSTALLED_PLUGINS": installed_plugins(),
        # True: every package of the motcua.plugins entry point; a tuple: those names only (tests); False: none.
        "LOAD_ENTRYPOINT_PLUGINS": os.environ.get("MOTCUA_ENTRYPOINT_PLUGINS", "1") != "0",
        "TRACE_PLUGINS": os.environ.get("MOTCUA_TRACE_PLUGINS", "0") not in ("", "0"),  # log every hook call
        "COMMUNES_DIR": os.environ.get("COMMUNES_DIR") or str(project_folder("communes")),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "API_TOKEN_HOURS": int(os.environ.get("API_TOKEN_HOURS", "12")),
        "IDEMPOTENCY_KEY_HOURS": int(os.environ.get("IDEMPOTENCY_KEY_HOURS", "24")),  # how long a retry replays
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": True,
        # Redis unreachable: count in each process meanwhile (looser, logged) rather than fail every request; the
        # shared storage is retried and used again as soon as it answers.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,  # 429 answers say when to retry
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),  # reverse proxies in front (nginx: 1)
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),  # failures per account
        # failures per client address, all accounts together (an office behind NAT shares one address)
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "60 per minute"),
        "TRACK_RATE_LIMIT": os.environ.get("TRACK_RATE_LIMIT", "30 per minute"),
        "SUBMIT_RATE_LIMIT": os.environ.get("SUBMIT_RATE_LIMIT", "30 per hour"),  # anonymous online submissions
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        # Where a limit in working days ends when no unit or province sets it (core.dossiers.clock, LAW-07).
        "DEADLINE_END": os.environ.get("DEADLINE_END", "close_of_day"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Production is served over HTTPS (behind nginx): the cookie never travels in clear, HSTS is sent (SEC-09).
        "SESSION_COOKIE_SECURE": env == "production",
        # Officers' access to personal data (core.accesslog), deleted by `flask access-log prune` after this many days.
        "ACCESS_LOG_RETENTION_DAYS": int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "1095")),
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", "31536000")) if env == "production" else 0,
        # Citizen sign-in with VNeID through OpenID Connect (core.citizens); off while VNEID_ISSUER is empty.
        "VNEID_ISSUER": os.environ.get("VNEID_ISSUER", ""),
        "VNEID_CLIENT_ID": os.environ.get("VNEID_CLIENT_ID", ""),
        "VNEID_CLIENT_SECRET": os.environ.get("VNEID_CLIENT_SECRET", ""),
        "VNEID_SCOPES": os.environ.get("VNEID_SCOPES", "openid profile phone address"),
        "VNEID_CLAIMS": os.environ.get("VNEID_CLAIMS", ""),  # JSON: our field -> claim name (core.citizens.identity)
        "VNEID_TIMEOUT": float(os.environ.get("VNEID_TIMEOUT", "10")),
        # `make run` points VNEID_ISSUER at the demo identity provider and says so on the sign-in page.
        "VNEID_DEMO": os.environ.get("VNEID_DEMO", "0") not in ("", "0"),
    }


def check_settings(config: dict) -> None:
    """Refuse to start with settings that are unsafe in production (after tests' and callers' overrides)."""
    from core.signing import check_settings as check_signing
    from core.storage import check_settings as check_storage

    check_storage(config)
    check_signing(config)
    if config.get("ENV_NAME") != "production":
        return
    if config.get("VNEID_DEMO"):
        raise ConfigError("VNEID_DEMO is set: the demo identity provider signs anyone in as anyone. In production "
                          "unset VNEID_DEMO and set VNEID_ISSUER, VNEID_CLIENT_ID and VNEID_CLIENT_SECRET to VNeID's.")
    base = config.get("PUBLIC_BASE_URL") or ""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            "PUBLIC_BASE_URL is not set to an absolute URL. In production every link sent to citizens (SMS, e-mail, "
            "QR codes) is built from it, never from the request's Host header: "
            "e.g. `export PUBLIC_BASE_URL=https://dichvucong.example.gov.vn`."
        )
