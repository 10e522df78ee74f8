"""Rekindle's app factory: ``flask --app app run`` or ``gunicorn 'app:create_app()'``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from assessment import account, checkup, core, history, i18n, norms, partner, plans, safety, talk
from questionnaires.loader import DEFINITIONS_DIR, SOURCE_LANGUAGE, load_catalogs

ROOT = Path(__file__).resolve().parent
# Every room of assessment/, core first: each exports its blueprints (docs/architecture.md).
ROOMS = (core, i18n, account, checkup, history, partner, plans, norms, safety, talk)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``config`` (tests use it)."""
    instance_path = (
        (config or {}).get("INSTANCE_PATH")
        or os.environ.get("REKINDLE_INSTANCE_PATH")
        or str(ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    core.private_instance(app.instance_path)
    app.config.from_mapping(core.default_settings(app.instance_path))
    app.config.from_mapping(core.settings_from_environment())
    if config:
        app.config.from_mapping(config)
    core.ensure_secret_key(app.config, app.instance_path)
    trust_proxies(app)
    core.private_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)

    load_definitions(app)
    core.register_odd_requests(app)
    core.register_access_log(app)
    register_extensions(app)
    register_rooms(app)
    register_blueprints(app)
    core.register_error_pages(app)
    core.register_security_headers(app)
    core.register_template_helpers(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` hops, take the client's address and scheme from them.

    ProxyFix believes only the right-most n entries of X-Forwarded-For and X-Forwarded-Proto,
    the ones our own proxies added, so a client cannot choose its address by sending them.
    With 0 the headers are ignored and the address is the connection's.
    """
    hops = core.trusted_proxies(app.config.get("TRUSTED_PROXIES", 0))
    app.config["TRUSTED_PROXIES"] = hops
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def load_definitions(app: Flask) -> None:
    """Load and validate every questionnaire once, in every language; a broken file (or a
    translation that drifted from its source) stops start-up here."""
    directory = Path(app.config.get("QUESTIONNAIRE_DIR") or DEFINITIONS_DIR)
    catalogs = load_catalogs(directory)
    app.extensions["rekindle.catalogs"] = catalogs
    # The source language's catalog: ids, versions and scoring keys are the same in every one.
    app.extensions["rekindle.catalog"] = catalogs[SOURCE_LANGUAGE]


def register_extensions(app: Flask) -> None:
    """Bind the extensions created once in ``assessment.core``."""
    # First of the app's after-request hooks, so it runs last: it compresses the final body.
    core.init_compression(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = core.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    )
    core.db.init_app(app)
    core.init_database(app)
    core.migrate.init_app(app, core.db, directory=str(ROOT / "migrations"))
    core.csrf.init_app(app)
    core.babel.init_app(app, locale_selector=i18n.chosen_language)
    core.configure_rate_limits(app)
    core.limiter.init_app(app)
    core.login_manager.init_app(app)


def register_rooms(app: Flask) -> None:
    """What rooms bind: the account's sign-in and commands, the partner link's hooks and its
    share switch on the result page, ``flask norms``, the talk's hooks and its offer on the
    result page. Importing a room binds nothing."""
    i18n.init_app(app)
    account.init_app(app)
    partner.init_app(app)
    norms.init_app(app)
    talk.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Every room's blueprints: one for each of its pages' groups."""
    for room in ROOMS:
        for blueprint in room.blueprints:
            app.register_blueprint(blueprint)
