"""``flask norms``: how reliable the questions are here, and norms measured on real answers.

- ``report [--json]``: alpha with its 95% interval, sd, and per item the corrected
  item-total r and alpha if deleted, per questionnaire version, language and dimension
  (§12): every version in English, and each other language a version was answered in.
- ``update [--min-n 200] [--max-half-width 0.05] [--language CODE]``: stores new norms,
  per language, for every dimension with enough people and a narrow enough interval;
  says why it left the others.
- ``export PATH``: aggregates only (n, item means, item covariance) per version and
  language, for pooling.
- ``import PATH... [--json] [--update]``: pools exports exactly and reports the pooled
  figures, for those files alone (to count this server too, export it and name that file
  as well); with ``--update`` it stores them as norms "pooled from several servers", by
  the same rules as ``update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask
from flask.cli import with_appcontext
from jinja2 import pass_context
from jinja2.runtime import Context

from scoring.pooling import DimensionFigures, pool
from scoring.reliability import MIN_PEOPLE

from ..core import current_catalog, format_date
from ..i18n import spoken
from .files import NormsFileError, export_document, read_export, write_export
from .store import (
    ORIGIN_POOLED,
    ORIGIN_SERVER,
    VersionFigures,
    answered_languages,
    figures_from_aggregates,
    language_order,
    newest_norms,
    server_aggregates,
    server_figures,
    store_norms,
)
from .words import band_words, change_words

_Command = TypeVar("_Command", bound=Callable[..., Any])

REVIEW_BELOW = 0.3  # corrected item-total r under this: the item may measure something else
DEFAULT_MIN_N = 200
DEFAULT_MAX_HALF_WIDTH = 0.05


@click.group("norms")
def norms_group() -> None:
    """Reliability of the questions and norms measured on this server's answers."""


def init_app(app: Flask) -> None:
    """Add ``flask norms`` to the app's commands, and the verdicts' words to every template
    (``band_words`` and ``change_words``: scoring's codes in the reader's language)."""
    app.cli.add_command(norms_group)
    app.jinja_env.filters["band_words"] = _at_every_page(band_words)
    app.jinja_env.filters["change_words"] = _at_every_page(change_words)


def _at_every_page(words: Callable[[Any], str]) -> Callable[[Context, Any], str]:
    """``words`` as a filter run at every page, in its reader's language.

    Jinja works out a filter of a constant (``100|band_words``) once, when it compiles the
    template, so every later page would keep the language of the first reader; a filter
    that takes the context is never worked out ahead.
    """

    @pass_context
    def at_page(_context: Context, value: Any) -> str:
        return words(value)

    return at_page


# --- What the report says -------------------------------------------------------------


def _dimension_json(figures: DimensionFigures) -> dict[str, Any]:
    alpha = figures.alpha
    return {
        "id": figures.id,
        "n": figures.n,
        "alpha": alpha.alpha if alpha else None,
        "alpha_ci": list(alpha.ci_rounded) if alpha else None,
        "sd": figures.sd,
        "items": [
            {"id": i.id, "item_total_r": i.item_total_r, "alpha_if_deleted": i.alpha_if_deleted}
            for i in figures.items
        ],
        "enough": figures.enough,
    }


def report_json(versions: list[VersionFigures]) -> dict[str, Any]:
    """The report (docs/architecture.md#norms), figures unrounded (the interval as pingouin)."""
    return {
        "questionnaires": [
            {
                "id": v.definition.id,
                "version": v.definition.version,
                "language": v.language,
                "dimensions": [_dimension_json(d) for d in v.dimensions],
            }
            for v in versions
        ]
    }


def _number(value: float | None, places: int) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def report_lines(versions: list[VersionFigures]) -> list[str]:
    """The report as a table a person reads; weak items are marked for review."""
    lines = []
    for version in versions:
        definition = version.definition
        width = max(len(d.label) for d in definition.dimensions) + 2
        language = spoken().get(version.language, version.language)
        lines.append(
            f"{definition.title} ({definition.id} v{definition.version}),"
            f" answered in {language} ({version.language})"
        )
        lines.append(f"  {'area':<{width}}{'n':>7}{'alpha':>8}  {'95% interval':<16}{'sd':>6}")
        for figures in version.dimensions:
            label = definition.dimension(figures.id).label
            if not figures.enough:
                lines.append(
                    f"  {label:<{width}}{figures.n:>7}  not enough yet:"
                    f" figures need {MIN_PEOPLE} people who answered every question"
                )
                continue
            alpha = figures.alpha
            interval = "—"
            if alpha:
                low, high = alpha.ci_rounded
                interval = f"[{low:.3f}, {high:.3f}]"
            alpha_text = _number(alpha.alpha if alpha else None, 3)
            lines.append(
                f"  {label:<{width}}{figures.n:>7}{alpha_text:>8}  {interval:<16}"
                f"{_number(figures.sd, 1):>6}"
            )
            if len(figures.items) < 2:
                lines.append("      one question: alpha needs two or more")
                continue
            lines.append(f"      {'item':<22}{'item-total r':>13}{'alpha if deleted':>18}")
            for item in figures.items:
                weak = item.item_total_r is not None and item.item_total_r < REVIEW_BELOW
                mark = f"  review: item-total r under {REVIEW_BELOW}" if weak else ""
                lines.append(
                    f"      {item.id:<22}{_number(item.item_total_r, 2):>13}"
                    f"{_number(item.alpha_if_deleted, 3):>18}{mark}"
                )
        lines.append("")
    return lines


def _show(versions: list[VersionFigures], as_json: bool) -> None:
    if as_json:
        import json

        click.echo(json.dumps(report_json(versions), indent=1))
    else:
        click.echo("\n".join(report_lines(versions)).rstrip("\n"))


@norms_group.command("report")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")
@with_appcontext
def report_command(as_json: bool) -> None:
    """Reliability of each area's questions, from each person's first answers of a version
    in each language."""
    _show(server_figures(current_catalog()), as_json)


# --- Updating the norms ---------------------------------------------------------------


def judge(
    figures: DimensionFigures, min_n: int, max_half_width: float
) -> tuple[tuple[float, float] | None, str]:
    """((sd, reliability) rounded, why) when the figures may become norms, else (None, why)."""
    alpha = figures.alpha
    if len(figures.items) < 2:
        return None, "it has one question, and alpha needs two or more"
    if figures.n < min_n:
        return None, f"{figures.n} people answered every question of it; it needs {min_n}"
    if alpha is None or figures.sd is None or figures.sd == 0:
        return None, "its answers do not vary enough to measure"
    if not alpha.half_width <= max_half_width:
        return None, (
            f"alpha {alpha.alpha:.3f} is known to ±{alpha.half_width:.3f};"
            f" it needs ±{max_half_width} or better"
        )
    sd, reliability = round(figures.sd, 1), round(alpha.alpha, 2)
    if not 0 < reliability < 1 or sd <= 0:
        return None, f"alpha {alpha.alpha:.3f} cannot judge change (it must be between 0 and 1)"
    return (sd, reliability), (
        f"n {figures.n}, alpha {alpha.alpha:.3f} ±{alpha.half_width:.3f}, sd {figures.sd:.2f}"
    )


def apply_update(
    versions: list[VersionFigures], min_n: int, max_half_width: float, origin: str
) -> None:
    """Store new norms, each version in each language apart, where the figures meet both
    rules; print every decision."""
    for version in versions:
        definition = version.definition
        stored = newest_norms(definition.id, definition.version, version.language)
        chosen = []
        for figures in version.dimensions:
            name = f"{definition.id} v{definition.version} {version.language} {figures.id}"
            values, why = judge(figures, min_n, max_half_width)
            if values is None:
                click.echo(f"left {name}: {why}")
                continue
            sd, reliability = values
            current = stored.get(figures.id)
            if current is not None and (
                (current.sd, current.reliability, current.n, current.origin)
                == (sd, reliability, figures.n, origin)
            ):
                click.echo(f"left {name}: unchanged since {format_date(current.created_at)}")
                continue
            chosen.append((figures.id, sd, reliability, figures.n))
            click.echo(f"updated {name}: sd {sd:.1f}, reliability {reliability:.2f} ({why})")
        if chosen:
            store_norms(definition, chosen, origin, language=version.language)


def _rules(function: _Command) -> _Command:
    function = click.option(
        "--max-half-width",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_MAX_HALF_WIDTH,
        show_default=True,
        help="Widest half of alpha's 95% interval accepted.",
    )(function)
    return click.option(
        "--min-n",
        type=click.IntRange(min=MIN_PEOPLE),
        default=DEFAULT_MIN_N,
        show_default=True,
        help="Fewest people (answering every question of an area) accepted.",
    )(function)


def offered_language(code: str) -> str:
    """``code`` when this server offers that language, else a usage error naming those it does."""
    offered = spoken()
    if code not in offered:
        choices = ", ".join(sorted(offered, key=language_order))
        raise click.BadParameter(
            f"{code!r} is not a language this server offers ({choices})", param_hint="--language"
        )
    return code


@norms_group.command("update")
@_rules
@click.option(
    "--language",
    "language",
    metavar="CODE",
    default=None,
    help="Only this language (e.g. es); default: every language answered.",
)
@with_appcontext
def update_command(min_n: int, max_half_width: float, language: str | None) -> None:
    """Store measured norms for each area, in each language, that has enough people and a
    narrow interval."""
    languages = answered_languages() if language is None else [offered_language(language)]
    apply_update(server_figures(current_catalog(), languages), min_n, max_half_width, ORIGIN_SERVER)


# --- Sharing aggregates between servers -------------------------------------------------


@norms_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(path: Path) -> None:
    """Write aggregates only (n, item means, item covariance) for pooling with other servers."""
    catalog = current_catalog()
    document, left_out = export_document(catalog, server_aggregates(catalog))
    try:
        write_export(path, document)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from error
    count = sum(len(q["dimensions"]) for q in document["questionnaires"])
    click.echo(f"wrote {path}: {count} areas, aggregates only (no answers, people or dates)")
    for qid, version, language, dimension, n in left_out:
        click.echo(
            f"left out {qid} v{version} {language} {dimension}: {n} people, fewer than {MIN_PEOPLE}"
        )


@norms_group.command("import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as `norms report --json`.")
@click.option("--update", "update", is_flag=True, help="Store the pooled figures as norms.")
@_rules
@with_appcontext
def import_command(
    paths: tuple[Path, ...], as_json: bool, update: bool, min_n: int, max_half_width: float
) -> None:
    """Pool exports exactly and report the pooled figures; --update stores them as norms."""
    if as_json and update:
        raise click.UsageError("Choose --json (report) or --update (store), not both.")
    catalog = current_catalog()
    offered = spoken()
    parts: dict[tuple[str, int, str], dict[str, list[Any]]] = {}
    for path in paths:
        try:
            found = read_export(path)
        except NormsFileError as error:
            raise click.ClickException(f"{error}. Nothing was imported.") from error
        for (qid, version, language, dimension), (items, part) in found.items():
            if language not in offered:
                # Pooled norms of a language no page here is read in would never be used, and
                # a code this server does not know is more likely a mistake than a plan.
                choices = ", ".join(sorted(offered, key=language_order))
                raise click.ClickException(
                    f"{path}: {qid} v{version} {dimension} was answered in {language!r},"
                    f" not a language this server offers ({choices}). Nothing was imported."
                )
            try:
                definition = catalog.get(qid, version)
                expected = [item.id for item in definition.items_of(dimension)]
            except KeyError:
                click.echo(
                    f"skipped {qid} v{version} {language} {dimension} in {path}: not known here",
                    err=True,
                )
                continue
            if items != expected:
                raise click.ClickException(
                    f"{path}: {qid} v{version} {dimension} has other questions than this"
                    " server's definition, so it cannot be pooled. Nothing was imported."
                )
            parts.setdefault((qid, version, language), {}).setdefault(dimension, []).append(part)
    versions = [
        figures_from_aggregates(
            catalog.get(qid, version),
            {dimension: pool(found) for dimension, found in dims.items()},
            language,
        )
        for (qid, version, language), dims in sorted(
            parts.items(), key=lambda kv: (kv[0][:2], language_order(kv[0][2]))
        )
    ]
    if update:
        apply_update(versions, min_n, max_half_width, ORIGIN_POOLED)
        return
    _show(versions, as_json)
