"""The partner link's hooks, bound by ``init_app(app)`` from the factory, never on import."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.engine import Connection

from ..core import (
    Assessment,
    PartnerInvite,
    PartnerLink,
    User,
    add_memberships,
    lock_users_in_flush,
)


def init_app(app: Flask) -> None:
    """Bind the hooks of links: memberships written with a link, and a deleted account's link
    ended. Importing registers nothing."""
    if not event.contains(User, "before_delete", _end_link_of_deleted_user):
        event.listen(User, "before_delete", _end_link_of_deleted_user)
    if not event.contains(PartnerLink, "after_insert", add_memberships):
        event.listen(PartnerLink, "after_insert", add_memberships)


def _end_link_of_deleted_user(_mapper: Any, connection: Connection, user: User) -> None:
    """Deleting an account ends its link, un-shares the other side and drops its invites."""
    lock_users_in_flush(connection, user.id)  # no link made or ended with them meanwhile
    link = connection.execute(
        select(PartnerLink.id, PartnerLink.inviter_id, PartnerLink.partner_id).where(
            or_(PartnerLink.inviter_id == user.id, PartnerLink.partner_id == user.id)
        )
    ).first()
    if link is not None:
        # The partner too, so a share they are making waits and then finds no link.
        lock_users_in_flush(connection, link.inviter_id, link.partner_id)
        connection.execute(
            update(Assessment)
            .where(Assessment.user_id.in_([link.inviter_id, link.partner_id]))
            .values(shared=False)
        )
        connection.execute(delete(PartnerLink).where(PartnerLink.id == link.id))
    connection.execute(delete(PartnerInvite).where(PartnerInvite.inviter_id == user.id))
