"""Configuration: safe defaults, then the environment, then the caller's overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

MAX_BODY_BYTES = 1024 * 1024  # a body over 1 MiB answers 413 (docs/architecture.md#forms)
DEFAULT_QUICK_EXIT_URL = "https://www.wikipedia.org/"
# No default country: until a person (or the deployment) chooses one, pages show a chooser
# and the international directory, never another country's numbers.
DEFAULT_HELPLINE_COUNTRY = ""
# werkzeug's scrypt: memory-hard, so a stolen database is slow to guess through. Only the
# caller's config (the tests' app_settings) changes it; no environment variable does.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"

# Environment variables read at start-up, and the config key each one sets.
_ENVIRONMENT_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "RATELIMIT_KEY_PREFIX": "RATELIMIT_KEY_PREFIX",  # several apps sharing one Redis
    "QUICK_EXIT_URL": "QUICK_EXIT_URL",
    # The address partners' invitation links are built on, e.g. https://rekindle.example.org,
    # so a link opens on the partner's own device; unset, the address of the request.
    "PUBLIC_URL": "PUBLIC_URL",
    "HELPLINE_COUNTRY": "HELPLINE_COUNTRY",  # ISO 3166-1 alpha-2, e.g. GB
}


def defaults(instance_path: str) -> dict[str, Any]:
    """Settings that make a fresh clone work with nothing configured."""
    database = Path(instance_path) / "rekindle.sqlite3"
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        # hide_parameters: even with SQL logging switched on, answers never reach a log line.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "RATELIMIT_STORAGE_URI": "memory://",
        # Redis unreachable: count in this process's memory, never answer 500
        # (docs/architecture.md#database).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "QUICK_EXIT_URL": DEFAULT_QUICK_EXIT_URL,
        "PUBLIC_URL": "",
        "HELPLINE_COUNTRY": DEFAULT_HELPLINE_COUNTRY,
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_BODY_BYTES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a long questionnaire must not expire mid-way
        # Proxy hops in front of the app whose forwarding headers are believed; 0: none are.
        "TRUSTED_PROXIES": 0,
        "PASSWORD_HASH_METHOD": DEFAULT_PASSWORD_HASH_METHOD,
    }


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings a deployment gives through environment variables."""
    environ = dict(os.environ if environ is None else environ)
    config: dict[str, Any] = {
        key: environ[name] for name, key in _ENVIRONMENT_KEYS.items() if environ.get(name)
    }
    if "HELPLINE_COUNTRY" in config:
        config["HELPLINE_COUNTRY"] = config["HELPLINE_COUNTRY"].strip().upper()
    uri = config.get("SQLALCHEMY_DATABASE_URI", "")
    if uri.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we ship; plain URLs would ask for psycopg2.
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if environ.get("RATELIMIT_ENABLED", "").lower() in {"0", "false", "no", "off"}:
        # For load tests, or behind a proxy that limits on its own.
        config["RATELIMIT_ENABLED"] = False
    if environ.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes", "on"}:
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    if environ.get("TRUSTED_PROXIES", "").strip():
        config["TRUSTED_PROXIES"] = trusted_proxies(environ["TRUSTED_PROXIES"])
    return config


def trusted_proxies(value: object) -> int:
    """The number of proxy hops to believe; anything but a whole number >= 0 stops start-up."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(
            f"TRUSTED_PROXIES must be the number of proxies in front of Rekindle (0, 1, 2 ...),"
            f" not {text!r}"
        )
    return int(text)


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Use the configured key, or one generated once into ``instance/`` (mode 0600)."""
    if config.get("SECRET_KEY"):
        return
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then linked into place, so two workers starting at once
        # agree on one key and neither reads a half-written file.
        draft = key_file.with_name(f".secret_key.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    config["SECRET_KEY"] = key_file.read_text().strip()
