"""Revision 0005 puts right what races left before it, then holds the rules (both databases)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from assessment.core.extensions import db
from tests.conftest import (
    app_settings,
    empty_database,
)


def _run(sql: str) -> None:
    db.session.execute(text(sql))


def _rows(sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in db.session.execute(text(sql))]


def _seed_races_at_0003() -> None:
    """What two requests at once could leave before 0005: 1 in two links, doubled plans."""
    for user_id in range(1, 5):
        _run(
            "INSERT INTO users (id, username, password_hash, created_at)"
            f" VALUES ({user_id}, 'person{user_id}', 'x', CURRENT_TIMESTAMP)"
        )
        _run(
            "INSERT INTO assessments (id, user_id, questionnaire_id, questionnaire_version,"
            " created_at, safety_flag, submission_token, overall, suggestions, shared)"
            f" VALUES ({user_id}, {user_id}, 'checkup', 1, CURRENT_TIMESTAMP, false,"
            f" 'token{user_id}', 50.0, '[]', true)"
        )
    # 1 invited 2, and 3 invited 1 a moment later; 4 is in no link yet shares (a raced unlink).
    _run(
        "INSERT INTO partner_links (id, inviter_id, partner_id, created_at)"
        " VALUES (1, 1, 2, CURRENT_TIMESTAMP)"
    )
    _run(
        "INSERT INTO partner_links (id, inviter_id, partner_id, created_at)"
        " VALUES (2, 3, 1, CURRENT_TIMESTAMP)"
    )
    strategies = ["a", "a", "b", "c", "d"]  # a twice, and four different: one too many
    for plan_id, strategy in enumerate(strategies, start=1):
        _run(
            "INSERT INTO plans (id, user_id, assessment_id, strategy_id, dimension, status,"
            f" created_at) VALUES ({plan_id}, 1, 1, '{strategy}', 'communication', 'active',"
            " CURRENT_TIMESTAMP)"
        )
    db.session.commit()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_keeps_the_older_link_and_lets_go_of_extra_plans(kind, tmp_path) -> None:
    """After 0005: one link per person (the older), un-shared if a link ended, three plans."""
    with empty_database(kind, tmp_path) as url:
        app = create_app(app_settings(tmp_path, url))
        with app.app_context():
            upgrade(revision="0003_plans")
            _seed_races_at_0003()
            upgrade(revision="0005_row_rules")
            links = _rows("SELECT inviter_id, partner_id FROM partner_links")
            members = _rows("SELECT user_id, link_id FROM partner_memberships ORDER BY user_id")
            shared = _rows("SELECT user_id FROM assessments WHERE shared = true ORDER BY user_id")
            active = _rows("SELECT id FROM plans WHERE status = 'active' ORDER BY id")
            db.session.remove()
            downgrade(revision="0003_plans")
            db.session.remove()
            upgrade(revision="0005_row_rules")
            db.session.remove()
            db.engine.dispose()
    assert links == [(1, 2)]
    assert members == [(1, 1), (2, 1)]
    assert shared == [(2,)]  # 1 and 3 were in the link that ended; 4 is in none
    assert active == [(1,), (3,), (4,)]  # the second "a", and "d" (a fourth), let go
