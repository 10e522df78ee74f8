"""The norms room's pages: ``GET /about/measures`` (scores, bands, reliable change, the norms in
use) and ``GET /about/sources`` (where the areas and the ideas to try come from)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from questionnaires.loader import SOURCE_LANGUAGE
from questionnaires.models import Questionnaire
from scoring import RCI_CRITICAL, s_diff
from scoring.dimensions import STEADY_FROM, STRENGTH_FROM
from scoring.reliability import MIN_PEOPLE

from ..core import current_catalog
from ..i18n import spoken
from .store import NormsInUse, measured_languages, norms_in_use

bp = Blueprint("about", __name__)


@dataclass(frozen=True)
class NormsRow:
    """One area's norms as the page lists them, with the change that counts as reliable."""

    label: str
    sd: float
    reliability: float
    reliable_from: float
    source: str


def _rows(definition: Questionnaire, norms: NormsInUse) -> list[NormsRow]:
    measured = norms.by_dimension
    rows = []
    for dimension in definition.dimensions:
        used = measured.get(dimension.id, dimension.norms)
        rows.append(
            NormsRow(
                label=dimension.label,
                sd=used.sd,
                reliability=used.reliability,
                reliable_from=RCI_CRITICAL * s_diff(used),
                source=norms.describe(dimension.id),
            )
        )
    return rows


@dataclass(frozen=True)
class NormsTable:
    """One table of the page: a questionnaire version's norms in use for one language."""

    definition: Questionnaire
    language: str
    # The language by its own name; None for the source language's table, which also
    # stands for every language without measured norms of its own.
    language_name: str | None
    rows: list[NormsRow]


def _tables(definition: Questionnaire) -> list[NormsTable]:
    """The source language's table, then one per other language with measured norms."""
    languages = [SOURCE_LANGUAGE] + [
        language for language in measured_languages(definition) if language != SOURCE_LANGUAGE
    ]
    names = spoken()
    return [
        NormsTable(
            definition,
            language,
            None if language == SOURCE_LANGUAGE else names.get(language, language),
            _rows(definition, norms_in_use(definition, language)),
        )
        for language in languages
    ]


@bp.get("/about/measures")
def measures() -> str:
    """How scores, bands and reliable change work here, and which norms judge change now:
    per version, and per language where a language has norms measured on its own answers."""
    catalog = current_catalog()
    sections = [
        table
        for latest in catalog.latest_all()
        for definition in sorted(
            (q for (qid, _), q in catalog.questionnaires.items() if qid == latest.id),
            key=lambda q: -q.version,
        )
        for table in _tables(definition)
    ]
    return render_template(
        "about/measures.html",
        sections=sections,
        strength_from=STRENGTH_FROM,
        steady_from=STEADY_FROM,
        critical=RCI_CRITICAL,
        min_people=MIN_PEOPLE,
    )


@bp.get("/about/sources")
def sources() -> str:
    """The guide Rekindle's areas and strategies come from, its sections, and whose words these are.

    Every strategy card links here at its section (docs/architecture.md#questionnaires).
    """
    return render_template("about/sources.html", guide=current_catalog().strategies.guide)
