"""Every Flask extension, created once here and bound to an app in ``app.py``."""

from typing import Any

from flask import current_app
from flask_babel import Babel, Domain
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can drop and alter them the same way on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model (SQLAlchemy 2.0 typed mappings)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
# The interface's words come from translations/<lang>/LC_MESSAGES (docs/architecture.md#languages).
babel = Babel()


class AppCatalogs(Domain):
    """Flask-Babel keeps the catalogs it has read in one cache per process, by language only;
    kept per app instead, an app reads its own ``BABEL_TRANSLATION_DIRECTORIES`` even after
    another app in the same process (a test's) read other catalogs for the same language."""

    def get_translations_cache(self, ctx: Any) -> dict[Any, Any]:
        cache: dict[Any, Any] = current_app.extensions.setdefault("rekindle.catalog_cache", {})
        return cache


babel.domain_instance = AppCatalogs()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
