"""The file ``flask norms export`` writes and ``flask norms import`` reads: aggregates only.

Per questionnaire version, language and dimension: the item ids, n, the item means and the
item covariance (ddof = 1). Format version 2 names each version's language; a version 1
file (written before norms were kept per language) holds English answers only, and still
reads. A server that knows only version 1 refuses a version 2 file rather than pool another
language's answers as English. Never an answer, a username, an assessment or a date; dimensions
answered completely by fewer than ``MIN_PEOPLE`` people are left out, because a mean of
very few people is close to their answers. Floats are written as Python's ``repr``, which
reads back to the same float, so pooling the files is exact.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from questionnaires.loader import SOURCE_LANGUAGE, Catalog
from scoring.pooling import Aggregate
from scoring.reliability import MIN_PEOPLE

FORMAT = "rekindle-norms-aggregates"
FORMAT_VERSION = 2
# Version 1: no language (English answers only). Version 2: each version names its language.
READS = (1, 2)
ABOUT = (
    "Aggregates of Rekindle answers for pooling norms: per questionnaire version, language"
    " and dimension, how many people answered every question, the mean of each keyed answer"
    " and their covariance. No answer, person or date is in this file."
)
# A language code as Rekindle writes one: "es", "de", or with a region, "pt-BR".
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")

Key = tuple[str, int, str, str]  # questionnaire id, version, language, dimension


class NormsFileError(ValueError):
    """A file that is not a Rekindle norms export, with what is wrong and where."""

    def __init__(self, path: str, where: str, why: str) -> None:
        super().__init__(f"{path}: {where}: {why}")


def export_document(
    catalog: Catalog, aggregates: dict[tuple[str, int, str], dict[str, Aggregate]]
) -> tuple[dict[str, Any], list[tuple[str, int, str, str, int]]]:
    """The export as JSON data, and the (id, version, language, dimension, n) left out as
    too few. ``aggregates`` is keyed by (id, version, language), in the order to write."""
    questionnaires: list[dict[str, Any]] = []
    left_out: list[tuple[str, int, str, str, int]] = []
    for (qid, version, language), parts in aggregates.items():
        definition = catalog.get(qid, version)
        dimensions = []
        for dimension in definition.dimensions:
            part = parts.get(dimension.id)
            if part is None or part.n < MIN_PEOPLE:
                left_out.append((qid, version, language, dimension.id, part.n if part else 0))
                continue
            dimensions.append(
                {
                    "id": dimension.id,
                    "items": [item.id for item in definition.items_of(dimension.id)],
                    "n": part.n,
                    "means": [float(v) for v in part.means],
                    "covariance": [[float(v) for v in row] for row in part.covariance],
                }
            )
        if dimensions:
            questionnaires.append(
                {"id": qid, "version": version, "language": language, "dimensions": dimensions}
            )
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "about": ABOUT,
        "questionnaires": questionnaires,
    }
    return document, left_out


def write_export(path: Path, document: dict[str, Any]) -> None:
    """Write the export as readable JSON."""
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def read_export(path: Path) -> dict[Key, tuple[list[str], Aggregate]]:
    """(id, version, language, dimension) -> (item ids, aggregate), checked strictly."""
    name = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise NormsFileError(name, "file", f"cannot be read ({error})") from error
    except json.JSONDecodeError as error:
        raise NormsFileError(
            name, "file", f"is not JSON ({error.msg}, line {error.lineno})"
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise NormsFileError(name, "format", f"is not a Rekindle norms export ({FORMAT!r})")
    format_version = document.get("format_version")
    if type(format_version) is not int or format_version not in READS:
        raise NormsFileError(
            name, "format_version", f"must be one of {', '.join(str(v) for v in READS)}"
        )
    questionnaires = document.get("questionnaires")
    if not isinstance(questionnaires, list):
        raise NormsFileError(name, "questionnaires", "must be a list")
    found: dict[Key, tuple[list[str], Aggregate]] = {}
    for q_index, entry in enumerate(questionnaires):
        where = f"questionnaires[{q_index}]"
        if not isinstance(entry, dict):
            raise NormsFileError(name, where, "must be an object")
        qid, version = entry.get("id"), entry.get("version")
        if not isinstance(qid, str) or type(version) is not int:
            raise NormsFileError(name, where, "needs a text id and a whole-number version")
        language = _language(name, f"{where}.language", entry, format_version)
        dimensions = entry.get("dimensions")
        if not isinstance(dimensions, list):
            raise NormsFileError(name, f"{where}.dimensions", "must be a list")
        for d_index, dimension in enumerate(dimensions):
            spot = f"{where}.dimensions[{d_index}]"
            items, part = _dimension(name, spot, dimension)
            key = (qid, version, language, dimension["id"])
            if key in found:
                raise NormsFileError(
                    name, spot, f"{qid} v{version} {language} {key[3]} appears twice"
                )
            found[key] = (items, part)
    return found


def _language(name: str, where: str, entry: dict[str, Any], format_version: int) -> str:
    """The language a version's people answered in: required from format version 2; a
    version 1 file, written before norms were kept per language, holds English answers."""
    if format_version == 1 and "language" not in entry:
        return SOURCE_LANGUAGE
    language = entry.get("language")
    if not isinstance(language, str) or not LANGUAGE_CODE.fullmatch(language):
        raise NormsFileError(name, where, 'must be a language code such as "en" or "es"')
    return language


def _dimension(name: str, where: str, entry: Any) -> tuple[list[str], Aggregate]:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise NormsFileError(name, where, "needs a text id")
    items = entry.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise NormsFileError(name, f"{where}.items", "must be a list of item ids")
    k = len(items)
    n = entry.get("n")
    if type(n) is not int or n < 0:
        raise NormsFileError(name, f"{where}.n", "must be a whole number, 0 or more")
    means = _numbers(name, f"{where}.means", entry.get("means"), k)
    rows = entry.get("covariance")
    if not isinstance(rows, list) or len(rows) != k:
        raise NormsFileError(name, f"{where}.covariance", f"must be {k} rows of {k} numbers")
    covariance = np.array(
        [_numbers(name, f"{where}.covariance[{i}]", row, k) for i, row in enumerate(rows)]
    )
    if not np.allclose(covariance, covariance.T, rtol=1e-9, atol=1e-12) or np.any(
        np.diag(covariance) < 0
    ):
        raise NormsFileError(name, f"{where}.covariance", "must be a covariance matrix")
    return items, Aggregate(n, np.array(means), covariance)


def _numbers(name: str, where: str, values: Any, count: int) -> list[float]:
    if not isinstance(values, list) or len(values) != count:
        raise NormsFileError(name, where, f"must be a list of {count} numbers")
    numbers = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NormsFileError(name, where, "must hold only numbers")
        if not math.isfinite(value):
            raise NormsFileError(name, where, "must hold only finite numbers")
        numbers.append(float(value))
    return numbers
