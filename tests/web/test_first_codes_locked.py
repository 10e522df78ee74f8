"""The first recovery codes are shown only once they are stored (docs/architecture.md#accounts).

If the database is locked by another process when the codes page first opens, the page is
a calm 503 and the permission to make them is kept: the next load shows them, once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from assessment.core import RecoveryCode, db
from tests.conftest import TEST_DATABASE_URL
from tests.web.test_db_unavailable import CALM, write_lock_held
from tests.web.test_recovery import codes_from, recover

CODES_PAGE = "/account/recovery-codes/new"


def stored_codes(app) -> int:  # type: ignore[no-untyped-def]
    """Recovery codes in the database."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RecoveryCode))


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="locks the SQLite file itself")
def test_a_locked_database_keeps_the_first_codes_for_a_reload(app, person) -> None:
    """Locked at the first load: a 503 and no codes; the reload shows ten that work, once."""
    assert person.register().status_code == 303
    database = Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or "")
    with write_lock_held(database):
        locked = person.client.get(CODES_PAGE)
    assert locked.status_code == 503
    assert CALM in locked.get_data(as_text=True)
    assert codes_from(locked.get_data(as_text=True)) == []
    assert stored_codes(app) == 0
    codes = codes_from(person.client.get(CODES_PAGE).get_data(as_text=True))
    assert len(codes) == 10
    assert stored_codes(app) == 10
    assert codes_from(person.client.get(CODES_PAGE).get_data(as_text=True)) == []
    person.logout()
    assert recover(person, codes[0]).status_code == 303
