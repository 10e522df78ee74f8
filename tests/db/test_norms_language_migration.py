"""Revision 0012 gives every stored norms version a language: those stored before are English.

Down again, a language's own norms are removed (without the column they would judge English
check-ins); the English ones stay.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from assessment.core.extensions import db
from tests.db.test_migrations import upgraded_with_data

STORED = datetime(2026, 11, 30, 12, 0, 0)


def _seed_at_0011() -> None:
    """Two norms versions stored before norms had languages."""
    for row_id, dimension in ((1, "communication"), (2, "romance")):
        db.session.execute(
            text(
                "INSERT INTO norms_versions (id, questionnaire_id, questionnaire_version,"
                " dimension, sd, reliability, n, origin, created_at)"
                " VALUES (:id, 'checkup', 3, :dimension, 17.5, 0.81, 240, 'server', :at)"
            ),
            {"id": row_id, "dimension": dimension, "at": STORED},
        )
    db.session.commit()


def _languages() -> dict[int, str]:
    return dict(db.session.execute(text("SELECT id, language FROM norms_versions")).all())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_norms_stored_before_languages_are_english_and_down_keeps_only_them(kind, tmp_path) -> None:
    """Up from 0011 with rows: each is English; a Spanish row added; down: only English left,
    the column gone; up again: English."""
    with upgraded_with_data(
        kind, tmp_path, "0011_languages", _seed_at_0011, "0012_norms_languages"
    ):
        assert _languages() == {1: "en", 2: "en"}
        db.session.execute(
            text(
                "INSERT INTO norms_versions (id, questionnaire_id, questionnaire_version,"
                " language, dimension, sd, reliability, n, origin, created_at)"
                " VALUES (3, 'checkup', 3, 'es', 'communication', 30.0, 0.5, 250, 'server', :at)"
            ),
            {"at": STORED},
        )
        db.session.commit()
        assert _languages() == {1: "en", 2: "en", 3: "es"}
        db.session.remove()
        downgrade(revision="0011_languages")
        columns = {c["name"] for c in inspect(db.engine).get_columns("norms_versions")}
        assert "language" not in columns
        ids = db.session.scalars(text("SELECT id FROM norms_versions ORDER BY id")).all()
        assert ids == [1, 2]
        db.session.remove()
        upgrade(revision="0012_norms_languages")
        assert _languages() == {1: "en", 2: "en"}
