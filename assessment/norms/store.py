"""Norms from real answers: the database side (docs/architecture.md#norms).

Reads the sample (per questionnaire version and language, each person's first assessment of
that version read in that language), stores measured norms, and says which norms a page
judges change with. A translation can shift how people answer, so each language's norms are
measured on its own answers; a language without measured norms of its own is judged with the
definition's provisional norms, never with another language's. The arithmetic
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

from questionnaires.loader import SOURCE_LANGUAGE, Catalog
from questionnaires.models import Norms, Questionnaire
from scoring.pooling import Aggregate, DimensionFigures, aggregate, summarise

from ..core import Answer, Assessment, NormsVersion, db, format_date, utcnow
from ..i18n import spoken

ORIGIN_SERVER = "server"
ORIGIN_POOLED = "pooled"
# Pages read the stored norms from memory, refreshed this often: `flask norms update` runs in
# another process, and reading them on every request would cost every page a statement.
REFRESH_SECONDS = 60.0
_CACHE = "rekindle.norms"


# (questionnaire id, version, language): the unit norms are measured and stored for.
SampleKey = tuple[str, int, str]


@dataclass(frozen=True)
class VersionFigures:
    """One questionnaire version in one language: each dimension's aggregate and figures."""

    definition: Questionnaire
    aggregates: dict[str, Aggregate]
    dimensions: tuple[DimensionFigures, ...]
    language: str = SOURCE_LANGUAGE


def language_order(language: str) -> tuple[bool, str]:
    """Sort key: the source language (English) first, then the others by code."""
    return (language != SOURCE_LANGUAGE, language)


def answered_languages() -> list[str]:
    """Every language some assessment was read in, and always the source language."""
    found = set(db.session.scalars(select(Assessment.language).distinct())) | {SOURCE_LANGUAGE}
    return sorted(found, key=language_order)


def keyed_frames(
    catalog: Catalog, language: str = SOURCE_LANGUAGE
) -> dict[tuple[str, int], pd.DataFrame]:
    """Keyed answers of each person's first assessment of each known questionnaire version,
    among the assessments read in ``language``.

    One row per assessment, one column per item in definition order; reverse items are
    keyed ``min + max - answer`` and "prefer not to say" stays missing. Nothing else of
    the assessment (who, when) leaves this function.
    """
    return {
        key: _keyed_frame(definition, language)
        for key, definition in sorted(catalog.questionnaires.items())
    }


def _keyed_frame(definition: Questionnaire, language: str) -> pd.DataFrame:
    """One version's first assessments in one language as a wide frame, built with numpy,
    not row by row. A person's first is among those read in this language: someone who
    switched from English to Spanish counts once in each."""
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
            Assessment.language == language,
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
    item ids, a version, small numbers, and a language code read from the database or
    checked against the languages offered), so it is rendered with them for the driver's
    own cursor; the dialect quotes every literal it renders.
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
    definition: Questionnaire, aggregates: dict[str, Aggregate], language: str = SOURCE_LANGUAGE
) -> VersionFigures:
    """Every dimension's figures of one version in one language from its aggregates (local
    or pooled)."""
    scale = definition.scale
    dimensions = []
    for dimension in definition.dimensions:
        items = [item.id for item in definition.items_of(dimension.id)]
        part = aggregates.get(dimension.id) or Aggregate(
            0, np.zeros(len(items)), np.zeros((len(items), len(items)))
        )
        dimensions.append(summarise(dimension.id, items, part, scale.min, scale.max))
    return VersionFigures(definition, aggregates, tuple(dimensions), language)


def server_aggregates(
    catalog: Catalog, languages: Iterable[str] | None = None
) -> dict[SampleKey, dict[str, Aggregate]]:
    """Per version, language and dimension, the aggregate of those who answered every item
    of it. Every known version in the source language, and in each other language (of
    ``languages``, else of those answered) the versions someone answered in it."""
    found: dict[SampleKey, dict[str, Aggregate]] = {}
    for language in answered_languages() if languages is None else languages:
        for (qid, version), frame in keyed_frames(catalog, language).items():
            if frame.empty and language != SOURCE_LANGUAGE:
                continue
            definition = catalog.get(qid, version)
            found[(qid, version, language)] = {
                dimension.id: aggregate(frame[[i.id for i in definition.items_of(dimension.id)]])
                for dimension in definition.dimensions
            }
    return dict(sorted(found.items(), key=lambda kv: (kv[0][:2], language_order(kv[0][2]))))


def server_figures(
    catalog: Catalog, languages: Iterable[str] | None = None
) -> list[VersionFigures]:
    """What ``flask norms report`` shows: every known version in English, and each version
    in each other language that has answers, from this server's answers."""
    return [
        figures_from_aggregates(catalog.get(qid, version), aggregates, language)
        for (qid, version, language), aggregates in server_aggregates(catalog, languages).items()
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
    language: str = SOURCE_LANGUAGE

    def describe(self) -> str:
        """Where these norms come from, and the language their people answered in, in the
        words every change table uses."""
        day = format_date(self.created_at)
        # Each language by its own name (assessment/i18n), as the footer's chooser shows it.
        language = spoken().get(self.language, self.language)
        if self.origin == ORIGIN_SERVER:
            # NOTE: where a change table's norms come from: "from 240 people on this server who
            # answered in Español, 3 March 2026". Lowercase: it follows "Norms:" or an area's
            # name. The language is written in its own name ("Español", "Deutsch"): keep it so.
            return ngettext(
                "from %(num)d person on this server who answered in %(language)s, %(date)s",
                "from %(num)d people on this server who answered in %(language)s, %(date)s",
                self.n,
                language=language,
                date=day,
            )
        # NOTE: as above, for norms pooled from totals several servers shared: "from 900
        # people pooled from several servers who answered in Français, 3 March 2026".
        return ngettext(
            "from %(num)d person pooled from several servers who answered in %(language)s,"
            " %(date)s",
            "from %(num)d people pooled from several servers who answered in %(language)s,"
            " %(date)s",
            self.n,
            language=language,
            date=day,
        )


def all_newest_norms() -> dict[SampleKey, dict[str, MeasuredNorms]]:
    """(questionnaire id, version, language) -> dimension -> its newest stored norms, in
    one query."""
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
            NormsVersion.language,
            NormsVersion.dimension,
        )
    )
    rows = db.session.scalars(select(NormsVersion).where(NormsVersion.id.in_(newest))).all()
    found: dict[SampleKey, dict[str, MeasuredNorms]] = {}
    for row in rows:
        key = (row.questionnaire_id, row.questionnaire_version, row.language)
        found.setdefault(key, {})[row.dimension] = MeasuredNorms(
            row.sd, row.reliability, row.n, row.origin, row.created_at, row.language
        )
    return found


def newest_norms(
    questionnaire_id: str, version: int, language: str = SOURCE_LANGUAGE
) -> dict[str, MeasuredNorms]:
    """Dimension -> the newest stored norms of this questionnaire version and language,
    read now."""
    return all_newest_norms().get((questionnaire_id, version, language), {})


def store_norms(
    definition: Questionnaire,
    chosen: Iterable[tuple[str, float, float, int]],
    origin: str = ORIGIN_SERVER,
    now: datetime | None = None,
    language: str = SOURCE_LANGUAGE,
) -> list[NormsVersion]:
    """Store (dimension, sd, reliability, n) as new norms versions of one language, in one
    transaction."""
    moment = now or utcnow()
    rows = [
        NormsVersion(
            questionnaire_id=definition.id,
            questionnaire_version=definition.version,
            language=language,
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
    """The norms a page judges one questionnaire version's changes with, in the language the
    newer assessment was read in, and their source."""

    definition: Questionnaire
    measured: dict[str, MeasuredNorms]
    language: str = SOURCE_LANGUAGE

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


def _cached_norms() -> dict[SampleKey, dict[str, MeasuredNorms]]:
    """Every newest stored norms, as of at most ``REFRESH_SECONDS`` ago."""
    cached = current_app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is None or now - cached[0] > REFRESH_SECONDS:
        cached = (now, all_newest_norms())
        current_app.extensions[_CACHE] = cached
    found: dict[SampleKey, dict[str, MeasuredNorms]] = cached[1]
    return found


def norms_in_use(definition: Questionnaire, language: str) -> NormsInUse:
    """The newest norms of this version measured in ``language`` (the language the newer of
    the two assessments compared was read in); the definition's provisional norms wherever
    that language has none, never another language's."""
    return NormsInUse(definition, _cached_norms().get((*definition.key, language), {}), language)


def measured_languages(definition: Questionnaire) -> list[str]:
    """The languages with measured norms of this version, the source language first."""
    languages = {key[2] for key in _cached_norms() if key[:2] == definition.key}
    return sorted(languages, key=language_order)
