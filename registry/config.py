"""Configuration: defaults here, overridden by instance/config.py, then the environment, then tests.

Nothing happens at import time; create_app() calls load_config().
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from flask import Flask


class DefaultConfig:
    """Defaults that suit the embedded SQLite installation on one machine."""

    #: Filled in by load_config() from DATABASE_URL or the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: Turn on (REGISTRY_SECURE_COOKIES=1) whenever the app is served over HTTPS.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    WTF_CSRF_TIME_LIMIT = 10 * 3600
    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Sign-in attempts allowed per client address.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"

    #: Local time zone for display; timestamps are stored in UTC.
    REGISTRY_TIMEZONE = "Asia/Ho_Chi_Minh"
    REGISTRY_PAGE_SIZE = 50
    #: Workers younger than this on the day they are registered are refused.
    REGISTRY_MIN_WORKER_AGE = 15


def database_url(app: Flask) -> str:
    """DATABASE_URL from the environment, else a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "registry.db")
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL came with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config from defaults, instance file, environment and test overrides, in order."""
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("REGISTRY")
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("REGISTRY_SECURE_COOKIES") == "1":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError(
                "SECRET_KEY is not set: put it in the environment or instance/config.py "
                "(./run.py creates one in instance/secret_key)."
            )
        app.config["SECRET_KEY"] = os.urandom(32).hex()
