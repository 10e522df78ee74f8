"""The talk's hooks, bound by ``init_app(app)`` from the factory, never on import.

Unlinking ends open talks, so a request never reaches a person whose link ended; deleting
an account ends its open talks, and a talk nobody is left in goes with the last of its
people (docs/architecture.md#talk). The other person's talks and proposals stay theirs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, or_, update
from sqlalchemy.engine import Connection

from ..core import PartnerLink, Talk, User, utcnow


def _end_open_talks(connection: Connection, *user_ids: int) -> None:
    connection.execute(
        update(Talk)
        .where(
            Talk.finished_at.is_(None),
            or_(Talk.started_by_id.in_(user_ids), Talk.partner_id.in_(user_ids)),
        )
        .values(finished_at=utcnow())
    )


def end_talks_of_link(_mapper: Any, connection: Connection, link: PartnerLink) -> None:
    """A link ending (either person unlinks) ends every open talk of its two people."""
    _end_open_talks(connection, link.inviter_id, link.partner_id)


def end_talks_of_deleted_user(_mapper: Any, connection: Connection, user: User) -> None:
    """A deleted account's open talks end; talks nobody else is left in go with it.

    Its side of the rest becomes NULL (the foreign key's ON DELETE SET NULL) and its
    proposals go (ON DELETE CASCADE), so nothing left names the person.
    """
    _end_open_talks(connection, user.id)
    connection.execute(
        delete(Talk).where(
            or_(
                and_(Talk.started_by_id == user.id, Talk.partner_id.is_(None)),
                and_(Talk.partner_id == user.id, Talk.started_by_id.is_(None)),
                and_(Talk.started_by_id == user.id, Talk.partner_id == user.id),
            )
        )
    )
