"""What every template can use: the quick-exit URL, band names, date formats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

from babel.core import Locale
from babel.dates import format_date as babel_date
from babel.lists import format_list
from babel.numbers import format_decimal
from flask import Flask, current_app, has_request_context, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaires.models import Questionnaire
from questionnaires.timing import minutes_to_answer, seconds_to_answer
from scoring import (
    AREAS_DIFFER,
    BAND_LABELS,
    QUESTIONS_CHANGED,
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    SEE_DIFFERENTLY,
    SEE_SAME,
    WITHIN_NORMAL,
    band,
)

from .assets import plotly_filename
from .catalog import current_catalog

# scoring/ stays free of Flask and speaks English: its words reach a page through these
# mappings, by the key or the value scoring returns (docs/architecture.md#languages). They
# are the only ones: the norms room's ``band_words`` and ``change_words`` are these too.
# The three bands a score falls in: lowercase, as they sit inside sentences and tables.
BAND_NAMES = {
    # NOTE: band of a score from 75 up: a clear strength of the relationship.
    "strength": _l("strength"),
    # NOTE: band of a score from 50 to 74.9 (steady as in stable): neither a strength nor a worry.
    "steady": _l("steady"),
    # NOTE: band of a score below 50: where attention would help most (never "bad" or "weak").
    "growth": _l("room to grow"),
}
VERDICTS = {
    # NOTE: what a change between two check-ups means: larger than chance, for the better.
    RELIABLE_IMPROVEMENT: _l("reliable improvement"),
    # NOTE: what a change between two check-ups means: larger than chance, for the worse.
    RELIABLE_DECLINE: _l("reliable decline"),
    # NOTE: what a change between two check-ups means: small enough to be chance.
    WITHIN_NORMAL: _l("within normal variation"),
    QUESTIONS_CHANGED: _l("the questions changed: not judged"),
    AREAS_DIFFER: _l("different areas scored: not judged"),
    # NOTE: two partners' scores for one area are far apart (by more than scores move on their
    # own).
    SEE_DIFFERENTLY: _l("you see this differently"),
    SEE_SAME: _l("you see this much the same"),
}


def band_name(score: float | None) -> str:
    """The band's words as people read them ("room to grow", never "bad")."""
    key = band(score)
    if not key:
        # NOTE: in a table cell, an area that was not answered enough to be scored.
        return _("needs more answers")
    return str(BAND_NAMES.get(key, BAND_LABELS[key]))


def verdict(label: str | None) -> str:
    """A label scoring returns (a change's, a gap's) in the reader's language.

    A label with no words here is shown as scoring gave it, rather than failing the page.
    """
    if label is None:
        return ""
    return str(VERDICTS.get(label, label))


def _reader_locale() -> str:
    """The Babel locale dates and numbers are written in: the request's language, English
    as in Britain (3 March 2026), and English outside a request (a command's output)."""
    locale = get_locale() if has_request_context() else None
    if locale is None or locale.language == "en":
        return "en_GB"
    return str(locale)


def format_score(score: float | None) -> str:
    """A stored score with its one decimal (62.5, 62,5), or a dash when there is none."""
    if score is None:
        return "—"
    return format_decimal(round(score, 1), format="0.0", locale=_reader_locale())


def format_number(value: float, places: int = 1) -> str:
    """A figure with ``places`` decimals in the reader's way: 0.85, 0,85."""
    return format_decimal(round(value, places), format="0." + "0" * places, locale=_reader_locale())


def format_change(delta: float | None) -> str:
    """A change with its sign and one decimal; one that rounds to nothing is "0.0", never "+0.0"."""
    if delta is None:
        return "—"
    shown = round(delta, 1)
    if shown == 0:
        return format_decimal(0, format="0.0", locale=_reader_locale())
    return format_decimal(shown, format="+0.0;-0.0", locale=_reader_locale())


def time_to_answer(questionnaire: Questionnaire) -> str:
    """How long a questionnaire takes, in words, worked out from its own words.

    Every page that says how long asks this one rule (questionnaires/timing.py), so the
    start page, the choice and the questionnaire never disagree.
    """
    if seconds_to_answer(questionnaire) <= 60:
        return _("under a minute")
    minutes = minutes_to_answer(questionnaire)
    return ngettext("about %(num)d minute", "about %(num)d minutes", minutes)


# Languages whose nouns keep their capital inside a sentence: a name in a list stays as it is.
_NOUNS_CAPITALISED = frozenset({"de"})


def chart_language() -> dict[str, Any]:
    """What plotly.js needs to write dates and numbers in the reader's language: month and
    day names and the decimal mark, from Babel's data (registered by static/js/rekindle.js as
    a plotly locale), so a chart's axis and hover say "7 dic" to a Spanish reader."""
    locale = Locale.parse(_reader_locale())
    months = locale.months["format"]
    days = locale.days["format"]
    # Babel counts days from Monday; plotly's lists start on Sunday.
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "name": str(locale),
        "format": {
            "months": [months["wide"][m] for m in range(1, 13)],
            "shortMonths": [months["abbreviated"][m].rstrip(".") for m in range(1, 13)],
            "days": [days["wide"][d] for d in sunday_first],
            "shortDays": [days["abbreviated"][d].rstrip(".") for d in sunday_first],
            "decimal": locale.number_symbols["latn"]["decimal"],
            "thousands": locale.number_symbols["latn"]["group"],
        },
    }


def in_sentence(name: str) -> str:
    """A name (a questionnaire's title, an area) as a word inside a sentence: lower-cased,
    "your relationship check-up", except in a language whose nouns keep their capital
    ("deinen Beziehungs-Check")."""
    locale = get_locale() if has_request_context() else None
    language = locale.language if locale is not None else "en"
    return name if language in _NOUNS_CAPITALISED else name.lower()


def word_list(
    words: Iterable[str],
    style: Literal["standard", "or"] = "standard",
    names: Mapping[str, str] | None = None,
) -> str:
    """Names joined the way the reader's language lists them: "Trust, care, and fun", or
    with ``style="or"`` "a crisis line or a sexual-violence line".

    ``names`` turns each key into its words (keys unknown to it are left out). Without it,
    the first word keeps its capital and the others are lower-cased as words inside a
    sentence, except in a language that capitalises nouns. Babel's list patterns give each
    language's commas and "and" or "or", so no template glues a list together in English.
    """
    locale = get_locale()
    language = locale.language if locale is not None else "en"
    if names is not None:
        shown = [str(names[word]) for word in words if word in names]
    else:
        shown = [
            word if index == 0 or language in _NOUNS_CAPITALISED else word.lower()
            for index, word in enumerate(words)
        ]
    return format_list(shown, style=style, locale=locale or "en") if shown else ""


def guide_heading(section_id: str) -> str:
    """A guide section's heading in the reader's language, from its id (the cards' "From the
    guide's section on ..."); the id itself if the guide does not list it."""
    for section in current_catalog().strategies.guide.sections():
        if section.id == section_id:
            return section.heading
    return section_id


def anchor(text: str) -> str:
    """Words as a page anchor or a class name: "couple's therapy" -> "couple-s-therapy"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def format_date(moment: datetime) -> str:
    """A date people read at a glance, in the reader's language: 3 March 2026, 3 de marzo
    de 2026, 3 mars 2026, 3. März 2026."""
    return _day_words(moment.year, moment.month, moment.day, _reader_locale())


@lru_cache(maxsize=4096)
def _day_words(year: int, month: int, day: int, locale: str) -> str:
    return babel_date(date(year, month, day), format="long", locale=locale)


def register_template_helpers(app: Flask) -> None:
    """Make the helpers and a few settings available in every template."""

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "quick_exit_url": current_app.config["QUICK_EXIT_URL"],
            "today": datetime.now(UTC),  # printed pages carry the day they were printed
        }

    # A global, not a context value, so the chart macro (imported without context) sees it.
    app.jinja_env.globals["plotly_src"] = lambda: url_for(
        "assets.plotly_js", filename=plotly_filename()
    )

    app.jinja_env.globals["chart_language"] = chart_language
    app.jinja_env.filters.update(
        {
            "band_name": band_name,
            "in_sentence": in_sentence,
            "decimal": format_number,
            "guide_heading": guide_heading,
            "verdict": verdict,
            "band_key": lambda score: band(score) or "unscored",
            "score": format_score,
            "date": format_date,
            "change": format_change,
            "time_to_answer": time_to_answer,
            "anchor": anchor,
            "word_list": word_list,
        }
    )
