"""Norms from real answers: the database side (DESIGN.md §12).

Reads the sample (per questionnaire version, each person's first assessment of it),
stores measured norms, and says which norms a page judges change with. The arithmetic
lives in ``scoring.reliability``; nothing here computes a statistic itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from flask import current_app
from sqlalchemy import func, select

from questionnaires.loader import Catalog
from questionnaires.models import Norms, Questionnaire
from scoring.reliability import Aggregate, DimensionFigures, aggregate, summarise

from .extensions import db
from .models import Answer, Assessment, NormsVersion, utcnow
from .templating import format_date

ORIGIN_SERVER = "server"
ORIGIN_POOLED = "pooled"
# Pages read the stored norms from memory, refreshed this often: `flask norms update` runs in
# another process, and reading them on every request would cost every page a statement.
REFRESH_SECONDS = 60.0
_CACHE = "rekindle.norms"


@dataclass(frozen=True)
class VersionFigures:
    """One questionnaire version: each dimension's aggregate and the figures made from it."""

    definition: Questionnaire
    aggregates: dict[str, Aggregate]
    dimensions: tuple[DimensionFigures, ...]


def keyed_frames(catalog: Catalog) -> dict[tuple[str, int], pd.DataFrame]:
    """Keyed answers of each person's first assessment of each known questionnaire version.

    One row per assessment, one column per item in definition order; reverse items are
    keyed ``min + max - answer`` and "prefer not to say" stays missing. Nothing else of
    the assessment (who, when) leaves this function.
    """
    ranked = select(
        Assessment.id.label("assessment_id"),
        Assessment.questionnaire_id.label("qid"),
        Assessment.questionnaire_version.label("version"),
        func.row_number()
        .over(
            partition_by=(
                Assessment.user_id,
                Assessment.questionnaire_id,
                Assessment.questionnaire_version,
            ),
            order_by=(Assessment.created_at, Assessment.id),
        )
        .label("rank"),
    ).subquery()
    rows = db.session.execute(
        select(ranked.c.qid, ranked.c.version, Answer.assessment_id, Answer.item_id, Answer.value)
        .join(Answer, Answer.assessment_id == ranked.c.assessment_id)
        .where(ranked.c.rank == 1)
    ).all()
    long = pd.DataFrame(rows, columns=["qid", "version", "assessment_id", "item_id", "value"])
    frames = {}
    for key, definition in sorted(catalog.questionnaires.items()):
        items = [item.id for item in definition.items]
        mine = long[(long["qid"] == key[0]) & (long["version"] == key[1])]
        wide = (
            mine.pivot(index="assessment_id", columns="item_id", values="value")
            .reindex(columns=items)
            .astype("float64")
        )
        scale = definition.scale
        for item in definition.items:
            if item.reverse:
                wide[item.id] = scale.min + scale.max - wide[item.id]
        frames[key] = wide
    return frames


def figures_from_aggregates(
    definition: Questionnaire, aggregates: dict[str, Aggregate]
) -> VersionFigures:
    """Every dimension's figures of one version from its aggregates (local or pooled)."""
    scale = definition.scale
    dimensions = []
    for dimension in definition.dimensions:
        items = [item.id for item in definition.items_of(dimension.id)]
        part = aggregates.get(dimension.id) or Aggregate(
            0, np.zeros(len(items)), np.zeros((len(items), len(items)))
        )
        dimensions.append(summarise(dimension.id, items, part, scale.min, scale.max))
    return VersionFigures(definition, aggregates, tuple(dimensions))


def server_aggregates(catalog: Catalog) -> dict[tuple[str, int], dict[str, Aggregate]]:
    """Per version and dimension, the aggregate of those who answered every item of it."""
    found = {}
    for key, frame in keyed_frames(catalog).items():
        definition = catalog.get(*key)
        found[key] = {
            dimension.id: aggregate(frame[[i.id for i in definition.items_of(dimension.id)]])
            for dimension in definition.dimensions
        }
    return found


def server_figures(catalog: Catalog) -> list[VersionFigures]:
    """What ``flask norms report`` shows: every known version, from this server's answers."""
    return [
        figures_from_aggregates(catalog.get(*key), aggregates)
        for key, aggregates in server_aggregates(catalog).items()
    ]


# --- Stored norms ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeasuredNorms:
    """A stored norms version as pages use it."""

    sd: float
    reliability: float
    n: int
    origin: str
    created_at: datetime

    def describe(self) -> str:
        """Where these norms come from, in the words every change table uses."""
        where = "on this server" if self.origin == ORIGIN_SERVER else "pooled from several servers"
        return f"from {self.n} people {where}, {format_date(self.created_at)}"


def all_newest_norms() -> dict[tuple[str, int], dict[str, MeasuredNorms]]:
    """(questionnaire id, version) -> dimension -> its newest stored norms, in one query."""
    newest = select(func.max(NormsVersion.id)).group_by(
        NormsVersion.questionnaire_id, NormsVersion.questionnaire_version, NormsVersion.dimension
    )
    rows = db.session.scalars(select(NormsVersion).where(NormsVersion.id.in_(newest))).all()
    found: dict[tuple[str, int], dict[str, MeasuredNorms]] = {}
    for row in rows:
        found.setdefault((row.questionnaire_id, row.questionnaire_version), {})[row.dimension] = (
            MeasuredNorms(row.sd, row.reliability, row.n, row.origin, row.created_at)
        )
    return found


def newest_norms(questionnaire_id: str, version: int) -> dict[str, MeasuredNorms]:
    """Dimension -> the newest stored norms of this questionnaire version, read now."""
    return all_newest_norms().get((questionnaire_id, version), {})


def store_norms(
    definition: Questionnaire,
    chosen: Iterable[tuple[str, float, float, int]],
    origin: str = ORIGIN_SERVER,
    now: datetime | None = None,
) -> list[NormsVersion]:
    """Store (dimension, sd, reliability, n) as new norms versions, in one transaction."""
    moment = now or utcnow()
    rows = [
        NormsVersion(
            questionnaire_id=definition.id,
            questionnaire_version=definition.version,
            dimension=dimension,
            sd=sd,
            reliability=reliability,
            n=n,
            origin=origin,
            created_at=moment,
        )
        for dimension, sd, reliability, n in chosen
    ]
    db.session.add_all(rows)
    db.session.commit()
    current_app.extensions.pop(_CACHE, None)  # this process sees them at once
    return rows


@dataclass(frozen=True)
class NormsInUse:
    """The norms a page judges one questionnaire version's changes with, and their source."""

    definition: Questionnaire
    measured: dict[str, MeasuredNorms]

    @property
    def by_dimension(self) -> dict[str, Norms]:
        """Dimension -> Norms for the scoring functions; absent dimensions stay provisional."""
        return {
            dimension: Norms(sd=m.sd, reliability=m.reliability, source=m.describe())
            for dimension, m in self.measured.items()
        }

    def describe(self, dimension_id: str) -> str:
        """ "provisional" or "from N people on this server, <date>"."""
        found = self.measured.get(dimension_id)
        return found.describe() if found else "provisional"

    def summary(self) -> str:
        """One sentence naming the norms of every dimension, grouped by where they come from."""
        groups: dict[str, list[str]] = {}
        for dimension in self.definition.dimensions:
            groups.setdefault(self.describe(dimension.id), []).append(dimension.label)
        if len(groups) == 1:
            return f"Norms: {next(iter(groups))}."
        parts = [f"{', '.join(labels)}: {source}" for source, labels in groups.items()]
        return "Norms: " + "; ".join(parts) + "."


def norms_in_use(definition: Questionnaire) -> NormsInUse:
    """The newest norms of this version, as of at most ``REFRESH_SECONDS`` ago."""
    cached = current_app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is None or now - cached[0] > REFRESH_SECONDS:
        cached = (now, all_newest_norms())
        current_app.extensions[_CACHE] = cached
    return NormsInUse(definition, cached[1].get(definition.key, {}))
