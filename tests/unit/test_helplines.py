"""helplines.yaml: checked numbers for 15+ countries, each with its scope, refused when broken."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from questionnaires.loader import QuestionnaireError, load_catalog
from tests.unit.test_loader import _copy_definitions, _edit

# Every fact was checked on one of these days; a later re-check moves the window.
CHECKED_FROM, CHECKED_TO = date(2026, 12, 1), date(2026, 12, 31)


@pytest.fixture(scope="module")
def helplines():  # type: ignore[no-untyped-def]
    return load_catalog().helplines


def test_at_least_fifteen_countries_each_with_emergency_and_a_line(helplines) -> None:
    """Does every listed country give an emergency number and lines a person can reach?"""
    assert len(helplines.countries) >= 15
    for code, country in helplines.countries.items():
        assert len(code) == 2 and code.isupper(), code
        assert country.emergency.isdigit(), code
        assert country.services, code
        assert any(s.phone or s.text for s in country.services), code


# Lines each country surely has that no official page in reach confirmed yet (the page says
# so, with the emergency number and the directory). A new gap must be added here on purpose.
KNOWN_GAPS = {
    "AR": ["crisis", "sexual_violence"],
    # Chile: *4141 and any sexual-violence line were found in press reports only.
    "CL": ["crisis", "sexual_violence"],
    "CO": ["sexual_violence"],
    "DK": ["crisis", "sexual_violence"],
    "ES": ["crisis"],
    "FI": ["sexual_violence"],
    "IT": ["crisis"],
    "ZA": ["crisis"],
}


def test_every_country_has_abuse_crisis_and_sexual_violence_lines_or_says_why_not(
    helplines,
) -> None:
    """Can a person in every listed country reach an abuse line, and a crisis and a
    sexual-violence line unless the gap is named and known?"""
    gaps = {}
    for code, country in helplines.countries.items():
        assert country.serves("abuse"), code
        for topic in ("crisis", "sexual_violence"):
            assert bool(country.serves(topic)) != (topic in country.unchecked), (code, topic)
        if country.unchecked:
            gaps[code] = list(country.unchecked)
    assert gaps == KNOWN_GAPS


def test_every_number_names_the_https_page_it_was_checked_against(helplines) -> None:
    """Is every emergency number and every line sourced to an https page, with its date?"""
    assert helplines.directory.source.startswith("https://")
    for code, country in helplines.countries.items():
        assert country.source.startswith("https://"), code
        assert CHECKED_FROM <= country.verified <= CHECKED_TO, code
        for service in country.services:
            assert service.source.startswith("https://"), (code, service.name)
            assert service.url is None or service.url.startswith("https://"), (code, service.name)
            assert CHECKED_FROM <= service.verified <= CHECKED_TO, (code, service.name)


def test_the_uk_lines_name_the_nation_they_serve(helplines) -> None:
    """Is each UK nation's abuse line under its own nation, and none posing as the UK's?"""
    gb = helplines.country("GB")
    areas = {s.area for s in gb.serves("abuse") if s.area}
    assert {"England", "Scotland", "Wales", "Northern Ireland"} <= areas
    scotland = next(s for s in gb.services if s.area == "Scotland" and "abuse" in s.topics)
    assert scotland.phone == "0800 027 1234"


def test_canada_has_no_province_posing_as_the_country(helplines) -> None:
    """Is every Canadian line either national or named with its province, and 9-8-8 there?"""
    canada = helplines.country("CA")
    assert not any("Manitoba" in s.name and s.area is None for s in canada.services)
    quebec = [s for s in canada.services if s.area == "Québec"]
    assert quebec, "Québec's own lines, for French speakers"
    assert any(
        s.phone == "988" and "crisis" in s.topics and s.area is None for s in canada.services
    )


def test_the_us_hotline_dials_as_digits_and_texts_with_its_word(helplines) -> None:
    """The US hotline's tel: form has digits only; its text line sends START to 88788."""
    us = helplines.country("us")
    assert us is not None and us.emergency == "911"
    hotline = next(s for s in us.services if s.name == "National Domestic Violence Hotline")
    assert hotline.phone == "1-800-799-7233"
    assert hotline.tel == "18007997233"
    assert hotline.sms == "88788?body=START"
    assert helplines.country("XX") is None


# The countries of each language Rekindle speaks (docs/architecture.md#help-lines). A country
# not listed yet is named here with the reason; listing it means deleting it from here.
LANGUAGE_COUNTRIES = {
    "es": ["ES", "MX", "AR", "CO", "CL", "PE", "US"],
    "fr": ["FR", "BE", "CH", "CA"],
    "de": ["DE", "AT", "CH"],
}
NOT_LISTED_YET = {
    "MX": "no official page in the stored pages confirmed Línea de las Mujeres or Línea de la Vida",
    "PE": "no official page in the stored pages confirmed Línea 100 or Línea 113",
}


def test_each_language_brings_its_countries_each_with_a_checked_abuse_line(helplines) -> None:
    """Can a person in every country of Spanish, French and German reach a checked abuse line,
    sourced to an https page with the day it was checked, unless the gap is named here?"""
    for language, codes in LANGUAGE_COUNTRIES.items():
        for code in codes:
            country = helplines.country(code)
            if code in NOT_LISTED_YET:
                assert country is None, f"{code} is listed now: delete it from NOT_LISTED_YET"
                continue
            assert country is not None, (language, code)
            abuse = country.serves("abuse")
            assert abuse, (language, code)
            for service in abuse:
                assert service.source.startswith("https://"), (code, service.name)
                assert CHECKED_FROM <= service.verified <= CHECKED_TO, (code, service.name)


def test_the_us_lines_say_which_answer_in_spanish(helplines) -> None:
    """Does the US list mark its Spanish-speaking abuse line as answering in Spanish?"""
    us = helplines.country("US")
    spanish = [s for s in us.services if s.answers_in("es")]
    assert any("abuse" in s.topics for s in spanish), [s.name for s in spanish]
    hotline = next(s for s in us.services if s.name == "National Domestic Violence Hotline")
    assert hotline.answers_in("es") and not hotline.answers_in("de")


def test_quebec_lines_are_quebec_not_all_of_canada(helplines) -> None:
    """SOS violence conjugale serves Québec: it is shown under Québec, never as Canada's."""
    canada = helplines.country("CA")
    sos = next(s for s in canada.services if s.name == "SOS violence conjugale")
    assert sos.area == "Québec"
    assert sos.answers_in("fr")
    assert all(s.area == "Québec" for s in canada.services if s.answers_in("fr"))


def test_choices_are_listed_by_name(helplines) -> None:
    """The country picker lists every country once, alphabetically by name."""
    names = [name for _, name in helplines.choices()]
    assert names == sorted(names)
    assert len(names) == len(helplines.countries)


Change = Callable[[dict[str, Any]], None]
# Each way to break helplines.yaml, with the place in it the error must name.
BROKEN: list[Any] = []


def breaks(case: str, at: str) -> Callable[[Change], Change]:
    """Add the change below to BROKEN, so that each case sits beside what it breaks."""

    def add(change: Change) -> Change:
        BROKEN.append(pytest.param(change, at, id=case))
        return change

    return add


@breaks("country code not ISO alpha-2", at="countries.USA")
def _bad_code(data: dict[str, Any]) -> None:
    data["countries"]["USA"] = data["countries"].pop("US")


@breaks("line without a source", at="countries.GB.services[0].source")
def _no_source(data: dict[str, Any]) -> None:
    del data["countries"]["GB"]["services"][0]["source"]


@breaks("country without emergency number", at="countries.FR.emergency")
def _no_emergency(data: dict[str, Any]) -> None:
    del data["countries"]["FR"]["emergency"]


@breaks("emergency number in words", at="countries.DE.emergency")
def _letters_for_emergency(data: dict[str, Any]) -> None:
    data["countries"]["DE"]["emergency"] = "police"


@breaks("line with no way to reach it", at="countries.NL.services[0].phone")
def _unreachable_service(data: dict[str, Any]) -> None:
    service = data["countries"]["NL"]["services"][0]
    for key in ("phone", "text", "url"):
        service.pop(key, None)


@breaks("country without a checked date", at="countries.SE.verified")
def _no_date(data: dict[str, Any]) -> None:
    del data["countries"]["SE"]["verified"]


@breaks("country without any line", at="countries.SE.services")
def _no_services(data: dict[str, Any]) -> None:
    data["countries"]["SE"]["services"] = []


@breaks("source over plain http", at="countries.FR.services[0].source")
def _http_source(data: dict[str, Any]) -> None:
    data["countries"]["FR"]["services"][0]["source"] = "http://example.org/page"


@breaks("country without a crisis line", at="countries.DE.services")
def _no_crisis_line(data: dict[str, Any]) -> None:
    country = data["countries"]["DE"]
    country["services"] = [s for s in country["services"] if "crisis" not in s["topics"]]


@breaks("a gap named where a line is listed", at="countries.DE.unchecked[0]")
def _gap_that_is_not_one(data: dict[str, Any]) -> None:
    data["countries"]["DE"]["unchecked"] = ["crisis"]


@breaks("line with an unknown topic", at="countries.NL.services[0].topics[0]")
def _unknown_topic(data: dict[str, Any]) -> None:
    data["countries"]["NL"]["services"][0]["topics"] = ["advice"]


@breaks("line in an unknown language", at="countries.US.services[0].languages")
def _unknown_language(data: dict[str, Any]) -> None:
    data["countries"]["US"]["services"][0]["languages"] = ["en", "sp"]


@breaks("a language listed twice", at="countries.US.services[0].languages")
def _language_twice(data: dict[str, Any]) -> None:
    data["countries"]["US"]["services"][0]["languages"] = ["es", "es"]


@pytest.mark.parametrize(("change", "where"), BROKEN)
def test_broken_helplines_fail_naming_file_and_path(tmp_path, change, where) -> None:
    """Does a broken helplines.yaml stop loading, naming the file and the place in it?"""
    folder = _copy_definitions(tmp_path)
    _edit(folder, "helplines.yaml", change)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    assert raised.value.file == "helplines.yaml", str(raised.value)
    assert where in str(raised.value), str(raised.value)


def test_missing_helplines_file_is_refused(tmp_path) -> None:
    """Without helplines.yaml the app would show no help: start-up refuses."""
    folder = _copy_definitions(tmp_path)
    (folder / "helplines.yaml").unlink()
    with pytest.raises(QuestionnaireError, match=r"^helplines\.yaml: missing"):
        load_catalog(folder)
