"""Alembic environment: run migrations against the app's own database (Flask-Migrate)."""

from __future__ import annotations

from alembic import context
from flask import current_app

# The models must be imported so their tables are part of the metadata compared
# by `flask db migrate` (and by the test that checks models and migrations agree).
from assessment.core import models, server_tables  # noqa: F401

config = context.config
database = current_app.extensions["migrate"].db
target_metadata = database.metadata


def run_offline() -> None:
    """Write the SQL instead of running it (`flask db upgrade --sql`)."""
    url = database.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on a live connection, in one transaction."""
    with database.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        options = {
            "compare_type": True,
            "render_as_batch": sqlite,
            **current_app.extensions["migrate"].configure_args,
        }
        if sqlite:
            # A rebuilt table (batch mode) is dropped and renamed: with foreign keys on, the
            # drop would first delete, by cascade, every row that refers to it. The pragma
            # only takes effect outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **options)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left a row pointing at nothing")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
