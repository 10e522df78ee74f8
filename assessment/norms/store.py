"""Norms from real answers: the database side (docs/architecture.md#norms).

Reads the sample (per questionnaire version, each person's first assessment of it),
stores measured norms, and says which norms a page judges change with. The arithmetic
lives in ``scoring.reliability`` and ``scoring.pooling``; nothing here computes a statistic itself.

Alpha and sd are both taken over the people who answered every question of the area,
and sd is of the unrounded score (stored scores are rounded to 0.1, which moves sd far
less than the 0.1 it is stored to): one sample for both halves of SEM = sd * sqrt(1 - alpha),
and exactly what pooled aggregates reproduce.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, case, func, select

from questionnaires.loader import Catalog
from questionnaires.models import Norms, Questionnaire
from scoring.pooling import Aggregate, DimensionFigures, aggregate, summarise

from ..core import Answer, Assessment, NormsVersion, db, format_date, utcnow

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
    return {
        key: _keyed_frame(definition) for key, definition in sorted(catalog.questionnaires.items())
    }


def _keyed_frame(definition: Questionnaire) -> pd.DataFrame:
    """One version's first assessments as a wide frame, built with numpy, not row by row."""
    ranked = (
        select(
            Assessment.id.label("assessment_id"),
            func.row_number()
            .over(partition_by=Assessment.user_id, order_by=(Assessment.created_at, Assessment.id))
            .label("rank"),
        )
        .where(
            Assessment.questionnaire_id == definition.id,
            Assessment.questionnaire_version == definition.version,
        )
        .subquery()
    )
    items = [item.id for item in definition.items]
    # The item's column number, worked out by the database: only numbers reach Python.
    column = case({item: index for index, item in enumerate(items)}, value=Answer.item_id)
    rows = _plain_rows(
        select(Answer.assessment_id, column, Answer.value)
        .join(ranked, Answer.assessment_id == ranked.c.assessment_id)
        .where(ranked.c.rank == 1)
    )
    # None ("prefer not to say", or an item no longer in the definition) becomes NaN.
    found = np.array(rows, dtype="float64").reshape(len(rows), 3)
    row_of, people = pd.factorize(found[:, 0].astype(np.int64))
    known = ~np.isnan(found[:, 1])
    matrix = np.full((len(people), len(items)), np.nan)
    matrix[row_of[known], found[known, 1].astype(np.int64)] = found[known, 2]
    scale = definition.scale
    reverse = [i for i, item in enumerate(definition.items) if item.reverse]
    matrix[:, reverse] = scale.min + scale.max - matrix[:, reverse]
    return pd.DataFrame(matrix, index=people, columns=items)


def _plain_rows(statement: Select[*tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """Every row as a plain tuple straight from the driver: 300,000 answers in under a second.

    The statement holds no value from outside (its literals are ours: a questionnaire id,
    item ids, a version and small numbers), so it is rendered with them for the driver's own cursor.
    """
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.dbapi_connection
    if driver is None:  # only after the pool detached it, never for a checked-out connection
        raise RuntimeError("the database connection has no driver connection")
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


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
    found: dict[tuple[str, int], dict[str, Aggregate]] = {}
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
        day = format_date(self.created_at)
        if self.origin == ORIGIN_SERVER:
            # NOTE: where a change table's norms come from: "from 240 people on this server,
            # 3 March 2026". Lowercase: it follows "Norms:" or an area's name.
            return ngettext(
                "from %(num)d person on this server, %(date)s",
                "from %(num)d people on this server, %(date)s",
                self.n,
                date=day,
            )
        return ngettext(
            "from %(num)d person pooled from several servers, %(date)s",
            "from %(num)d people pooled from several servers, %(date)s",
            self.n,
            date=day,
        )


def all_newest_norms() -> dict[tuple[str, int], dict[str, MeasuredNorms]]:
    """(questionnaire id, version) -> dimension -> its newest stored norms, in one query."""
    usable = (  # rows written by hand that could not judge change are passed over
        NormsVersion.sd > 0,
        NormsVersion.reliability > 0,
        NormsVersion.reliability < 1,
    )
    newest = (
        select(func.max(NormsVersion.id))
        .where(*usable)
        .group_by(
            NormsVersion.questionnaire_id,
            NormsVersion.questionnaire_version,
            NormsVersion.dimension,
        )
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
        # NOTE: norms that are careful starting guesses, not yet measured on real answers.
        return found.describe() if found else _("provisional")

    def summary(self) -> str:
        """One sentence naming the norms of every dimension, grouped by where they come from."""
        groups: dict[str, list[str]] = {}
        for dimension in self.definition.dimensions:
            groups.setdefault(self.describe(dimension.id), []).append(dimension.label)
        if len(groups) == 1:
            # NOTE: the line under a change table; the source is e.g. "provisional".
            return _("Norms: %(source)s.", source=next(iter(groups)))
        parts = [
            # NOTE: areas judged by one source of norms: "Romance, Money: provisional".
            _("%(areas)s: %(source)s", areas=", ".join(labels), source=source)
            for source, labels in groups.items()
        ]
        # NOTE: the line under a change table when its areas' norms come from different places;
        # the groups are joined with "; ".
        return _("Norms: %(groups)s.", groups="; ".join(parts))


def norms_in_use(definition: Questionnaire) -> NormsInUse:
    """The newest norms of this version, as of at most ``REFRESH_SECONDS`` ago."""
    cached = current_app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is None or now - cached[0] > REFRESH_SECONDS:
        cached = (now, all_newest_norms())
        current_app.extensions[_CACHE] = cached
    return NormsInUse(definition, cached[1].get(definition.key, {}))
