"""Tables of the server itself, not of any person: measured norms, and the health probe."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import NEVER_REUSE_IDS, Model, utcnow


class NormsVersion(Model):
    """Norms measured on this server's answers (``flask norms update``); the newest one counts.

    Only aggregate figures: no row here names a person, an answer or an assessment.
    """

    __tablename__ = "norms_versions"
    __table_args__ = (
        Index("ix_norms_versions_lookup", "questionnaire_id", "questionnaire_version", "dimension"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(32))
    # The language the people answered in: norms are measured and used per language
    # (docs/architecture.md#norms); rows stored before there were others are English.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    sd: Mapped[float] = mapped_column(Float)  # rounded to 0.1
    reliability: Mapped[float] = mapped_column(Float)  # Cronbach's alpha rounded to 0.01
    n: Mapped[int] = mapped_column(Integer)
    # "server": this server's own answers; "pooled": aggregates imported from several servers.
    origin: Mapped[str] = mapped_column(String(8), default="server")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HealthProbe(Model):
    """Written and rolled back by ``/healthz``: the database takes writes. Always empty."""

    __tablename__ = "health_probe"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    probed_at: Mapped[datetime] = mapped_column(DateTime)
