"""helplines.yaml: checked numbers for 15+ countries, refused when broken.

See docs/architecture.md#help-lines.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from questionnaires.loader import DEFINITIONS_DIR, QuestionnaireError, load_catalog

VERIFIED = date(2026, 12, 1)


@pytest.fixture(scope="module")
def helplines():  # type: ignore[no-untyped-def]
    return load_catalog().helplines


def test_at_least_fifteen_countries_each_with_emergency_and_a_line(helplines) -> None:
    """Does every listed country give an emergency number and at least one abuse line?"""
    assert len(helplines.countries) >= 15
    for code, country in helplines.countries.items():
        assert len(code) == 2 and code.isupper(), code
        assert country.emergency.isdigit(), code
        assert country.services, code
        assert any(s.phone or s.text for s in country.services), code


def test_every_number_names_the_page_it_was_checked_against(helplines) -> None:
    """Is every emergency number and every line sourced to a public page, checked on the day?"""
    assert helplines.directory.source.startswith(("https://", "http://"))
    for code, country in helplines.countries.items():
        assert country.source.startswith(("https://", "http://")), code
        assert country.verified == VERIFIED, code
        for service in country.services:
            assert service.source.startswith(("https://", "http://")), (code, service.name)
            assert service.verified == VERIFIED, (code, service.name)


def test_the_us_hotline_matches_design_and_dials_as_digits(helplines) -> None:
    """The US line is there, and its tel: form has digits only."""
    us = helplines.country("us")
    assert us is not None and us.emergency == "911"
    hotline = us.services[0]
    assert hotline.phone == "1-800-799-7233"
    assert hotline.tel == "18007997233"
    assert "88788" in (hotline.text or "")
    assert helplines.country("XX") is None


def test_choices_are_listed_by_name(helplines) -> None:
    """The country picker lists every country once, alphabetically by name."""
    names = [name for _, name in helplines.choices()]
    assert names == sorted(names)
    assert len(names) == len(helplines.countries)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    target.mkdir()
    for path in DEFINITIONS_DIR.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


def _break(folder: Path, change: Any) -> None:
    path = folder / "helplines.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _bad_code(data: dict[str, Any]) -> None:
    data["countries"]["USA"] = data["countries"].pop("US")


def _no_source(data: dict[str, Any]) -> None:
    del data["countries"]["GB"]["services"][0]["source"]


def _no_emergency(data: dict[str, Any]) -> None:
    del data["countries"]["FR"]["emergency"]


def _letters_for_emergency(data: dict[str, Any]) -> None:
    data["countries"]["DE"]["emergency"] = "police"


def _unreachable_service(data: dict[str, Any]) -> None:
    service = data["countries"]["NL"]["services"][0]
    for key in ("phone", "text", "url"):
        service.pop(key, None)


def _no_date(data: dict[str, Any]) -> None:
    del data["countries"]["SE"]["verified"]


def _no_services(data: dict[str, Any]) -> None:
    data["countries"]["DK"]["services"] = []


BROKEN = [
    ("country code not ISO alpha-2", _bad_code, "countries.USA"),
    ("line without a source", _no_source, "countries.GB.services[0].source"),
    ("country without emergency number", _no_emergency, "countries.FR.emergency"),
    ("emergency number in words", _letters_for_emergency, "countries.DE.emergency"),
    ("line with no way to reach it", _unreachable_service, "countries.NL.services[0].phone"),
    ("country without a checked date", _no_date, "countries.SE.verified"),
    ("country without any line", _no_services, "countries.DK.services"),
]


@pytest.mark.parametrize(("case", "change", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_helplines_fail_naming_file_and_path(tmp_path, case, change, where) -> None:
    """Does a broken helplines.yaml stop loading, naming the file and the place in it?"""
    folder = _copy(tmp_path)
    _break(folder, change)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    assert raised.value.file == "helplines.yaml", str(raised.value)
    assert where in str(raised.value), str(raised.value)


def test_missing_helplines_file_is_refused(tmp_path) -> None:
    """Without helplines.yaml the app would show no help: start-up refuses."""
    folder = _copy(tmp_path)
    (folder / "helplines.yaml").unlink()
    with pytest.raises(QuestionnaireError, match=r"^helplines\.yaml: missing"):
        load_catalog(folder)
