"""Revision 0009 sets each person's flag from the assessments already stored.

A person flagged 30 days ago stays flagged for 60 more; one flagged 200 days ago does not;
a "yes" to the forced-sex question sets the sexual-violence period too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask_migrate import downgrade
from sqlalchemy import text

from assessment.core.extensions import db
from tests.db.test_migrations import upgraded_with_data

NOW = datetime(2026, 12, 7, 12, 0, 0)


def _seed_at_0008() -> None:
    """Three people: flagged lately (forced-sex "yes"), flagged long ago, never flagged."""
    users = ", ".join(
        f"({n}, '{name}', 'x', :now, 'sid{n}')" for n, name in ((1, "alex"), (2, "sam"), (3, "kim"))
    )
    db.session.execute(
        text(
            "INSERT INTO users (id, username, password_hash, created_at, session_id)"
            f" VALUES {users}"
        ),
        {"now": NOW},
    )
    rows = [  # (id, user, days ago, flagged)
        (10, 1, 40, False),
        (11, 1, 30, True),
        (12, 1, 5, False),
        (20, 2, 200, True),
        (30, 3, 10, False),
    ]
    for assessment_id, user_id, days_ago, flagged in rows:
        db.session.execute(
            text(
                "INSERT INTO assessments (id, user_id, questionnaire_id, questionnaire_version,"
                " created_at, safety_flag, submission_token, overall, suggestions, shared)"
                " VALUES (:id, :user, 'checkup', 2, :at, :flagged, :token, 50.0, '[]', false)"
            ),
            {
                "id": assessment_id,
                "user": user_id,
                "at": NOW - timedelta(days=days_ago),
                "flagged": flagged,
                "token": f"t{assessment_id}",
            },
        )
    db.session.execute(
        text(
            "INSERT INTO safety_responses (assessment_id, item_id, response) VALUES"
            " (11, 'safe_forced', 'yes'), (20, 'safe_afraid', 'yes')"
        )
    )
    db.session.commit()


def _flags() -> dict[str, tuple[datetime | None, datetime | None]]:
    rows = db.session.execute(
        text("SELECT username, flagged_until, sexual_violence_until FROM users")
    ).all()
    return {name: (_naive(until), _naive(violence)) for name, until, violence in rows}


def _naive(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):  # SQLite hands raw text back to a plain statement
        return datetime.fromisoformat(value)
    return value


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_flag_migration_keeps_each_persons_flag_from_their_data(kind, tmp_path) -> None:
    """Up from 0008 with data: is each person flagged until 90 days after their latest yes?"""
    with upgraded_with_data(kind, tmp_path, "0008_account_years", _seed_at_0008, "0009_flag_lasts"):
        flags = _flags()
        flagged_at = NOW - timedelta(days=30)
        assert flags["alex"] == (
            flagged_at + timedelta(days=90),
            flagged_at + timedelta(days=90),
        )
        long_ago = NOW - timedelta(days=200)
        assert flags["sam"] == (long_ago + timedelta(days=90), None)
        assert flags["kim"] == (None, None)
        db.session.remove()
        downgrade(revision="0008_account_years")
        assert db.session.scalar(text("SELECT count(*) FROM assessments")) == 5
