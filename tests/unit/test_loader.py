"""The catalog definitions obey the rules, and broken ones fail naming file and path.

See docs/architecture.md#questionnaires.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from questionnaires.loader import (
    DEFINITIONS_DIR,
    QuestionnaireError,
    load_catalog,
    load_catalogs,
)
from questionnaires.models import ARTICLE_SECTIONS, DIMENSION_IDS

GENDERED = re.compile(r"\b(husband|wife|he|she|him|her|his|hers)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(I|my|me|we|our|us)\b", re.IGNORECASE)


def test_checkup_has_six_dimensions_of_six_items_two_reversed(catalog) -> None:
    """Six dimensions in the fixed order, six items each, exactly two reverse-keyed (v3)."""
    checkup = catalog.latest("checkup")
    assert tuple(d.id for d in checkup.dimensions) == DIMENSION_IDS
    for dimension in DIMENSION_IDS:
        items = checkup.items_of(dimension)
        assert len(items) == 6, dimension
        assert sum(item.reverse for item in items) == 2, dimension
        assert all(item.optional == (dimension == "intimacy") for item in items), dimension
    assert 5 <= len(checkup.safety) <= 6


def test_pulse_has_one_required_item_per_dimension(catalog) -> None:
    """One item per dimension, none optional, its own wider norms, a one-item safety screen."""
    pulse = catalog.latest("pulse")
    assert Counter(item.dimension for item in pulse.items) == dict.fromkeys(DIMENSION_IDS, 1)
    assert not any(item.optional for item in pulse.items)
    assert all(d.norms.sd == 22.0 and d.norms.reliability == 0.65 for d in pulse.dimensions)
    # docs/architecture.md#versions: since v2 the pulse asks one private question (fear or physical
    # harm).
    assert len(pulse.safety) == 1


def test_items_are_written_the_way_design_asks(catalog) -> None:
    """One idea per item (never "and"), "my partner" (never a gender), first person."""
    for questionnaire in catalog.latest_all():
        for item in [*questionnaire.items, *questionnaire.safety]:
            assert not re.search(r"\band\b", item.text, re.IGNORECASE), item.id
            assert not GENDERED.search(item.text), item.id
            assert FIRST_PERSON.search(item.text), item.id


def test_strategies_and_starters_never_assume_a_gender(catalog) -> None:
    """Strategies and conversation starters say "your partner", never he or she."""
    library = catalog.strategies
    texts = [t for s in library.strategies for t in (s.title, s.action, s.why)]
    texts += [starter.text for starters in library.conversations.values() for starter in starters]
    for text in texts:
        assert not GENDERED.search(text), text


def test_catalog_finds_versions_and_orders_checkup_first(tmp_path) -> None:
    """Does the catalog serve old versions, pick the newest, and list check-up then pulse?"""
    folder = _copy_definitions(tmp_path)
    _edit(folder, "checkup.v3.yaml", _set(["version"], 4))
    (folder / "checkup.v3.yaml").rename(folder / "checkup.v4.yaml")
    shutil.copy(DEFINITIONS_DIR / "checkup.v3.yaml", folder / "checkup.v3.yaml")
    catalog = load_catalog(folder)
    assert catalog.get("checkup", 1).version == 1
    assert catalog.get("checkup", 3).version == 3
    assert catalog.latest("checkup").version == 4
    assert [q.key for q in catalog.latest_all()] == [("checkup", 4), ("pulse", 3)]
    assert sorted(catalog.versions("checkup")) == [1, 2, 3, 4]
    with pytest.raises(KeyError):
        catalog.get("pulse", 4)
    with pytest.raises(KeyError):
        catalog.latest("nothing")


def test_cached_catalog_is_loaded_once() -> None:
    """Is the shipped catalog read once per process?"""
    assert load_catalogs()["en"] is load_catalogs()["en"]


def test_yaml_yes_is_a_boolean(tmp_path) -> None:
    """YAML 1.1 reads `reverse: yes` as true; that is allowed."""
    folder = _copy_definitions(tmp_path)
    text = (folder / "pulse.v1.yaml").read_text()
    (folder / "pulse.v1.yaml").write_text(text.replace("reverse: false", "reverse: yes", 1))
    assert load_catalog(folder).get("pulse", 1).items[0].reverse is True


def test_strategies_cover_every_dimension_and_article_section(catalog) -> None:
    """At least 4 per dimension (2 safe), every article section used, every trigger real."""
    strategies = catalog.strategies.strategies
    per_dimension = Counter(s.dimension for s in strategies)
    safe = Counter(s.dimension for s in strategies if s.safe_if_flagged)
    for dimension in DIMENSION_IDS:
        assert per_dimension[dimension] >= 4, dimension
        assert safe[dimension] >= 2, dimension
    assert {s.section for s in strategies} == set(ARTICLE_SECTIONS)
    # Every version stays scorable (docs/architecture.md#versions), so a trigger may name an item of
    # any version.
    item_ids = {i.id for q in catalog.questionnaires.values() for i in q.items}
    for strategy in strategies:
        assert strategy.triggers, strategy.id
        assert set(strategy.triggers) <= item_ids, strategy.id
    assert set(catalog.strategies.conversations) == set(DIMENSION_IDS)


def test_therapy_and_initiating_strategies_are_never_safe_when_flagged(catalog) -> None:
    """Couples therapy is not advised while there is fear (docs/architecture.md#safety)."""
    for strategy in catalog.strategies.strategies:
        if strategy.section == "couple's therapy":
            assert strategy.safe_if_flagged is False, strategy.id


# --- Broken definitions: each must name the file and the path inside it. ---


def _copy_definitions(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    target.mkdir()
    for path in DEFINITIONS_DIR.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


def _edit(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _duplicate_second_item_id(data: dict[str, Any]) -> None:
    data["items"][1]["id"] = data["items"][0]["id"]


def _drop_communication_strategies(data: dict[str, Any]) -> None:
    kept = [s for s in data["strategies"] if s["dimension"] != "communication"]
    data["strategies"] = (
        kept + [s for s in data["strategies"] if s["dimension"] == "communication"][:3]
    )


def _drop_last_dimension(data: dict[str, Any]) -> None:
    data["dimensions"] = data["dimensions"][:-1]


def _make_romance_unsafe(data: dict[str, Any]) -> None:
    for strategy in data["strategies"]:
        if strategy["dimension"] == "romance":
            strategy["safe_if_flagged"] = False
            strategy.pop("safe_because", None)


BROKEN = [
    (
        "unknown dimension",
        "checkup.v1.yaml",
        _set(["items", 0, "dimension"], "money"),
        "items[0].dimension",
    ),
    (
        "duplicate item id",
        "checkup.v1.yaml",
        _duplicate_second_item_id,
        "items[1].id: duplicate item id",
    ),
    (
        "safety id repeating an item id",
        "pulse.v1.yaml",
        _set(["safety", 0, "id"], "p_com"),
        "safety[0].id: duplicate item id 'p_com'",
    ),
    (
        "item naming a dimension the file does not define",
        "checkup.v1.yaml",
        _drop_last_dimension,
        "items[25].dimension",
    ),
    (
        "reverse not boolean",
        "checkup.v1.yaml",
        _set(["items", 0, "reverse"], "maybe"),
        "items[0].reverse",
    ),
    ("reverse as a number", "pulse.v1.yaml", _set(["items", 2, "reverse"], 1), "items[2].reverse"),
    (
        "trigger naming a missing item",
        "strategies.yaml",
        _set(["strategies", 0, "triggers", 0], "com_nothing"),
        "strategies[0].triggers[0]",
    ),
    (
        "unknown article section",
        "strategies.yaml",
        _set(["strategies", 3, "section"], "positive thinking"),
        "strategies[3].section",
    ),
    ("unknown top-level key", "checkup.v1.yaml", _set(["colour"], "red"), "colour"),
    (
        "wrong number of scale labels",
        "checkup.v1.yaml",
        _set(["scale", "labels"], ["No", "Yes"]),
        "scale.labels: needs 5 labels",
    ),
    ("version not matching the file name", "pulse.v1.yaml", _set(["version"], 2), "version"),
    (
        "strategy in an unknown dimension",
        "strategies.yaml",
        _set(["strategies", 1, "dimension"], "money"),
        "strategies[1].dimension",
    ),
    (
        "too few safe strategies for a dimension",
        "strategies.yaml",
        _make_romance_unsafe,
        "strategies: dimension 'romance' has 0 strategies with safe_if_flagged: true",
    ),
    (
        "three conversation starters for one direction",
        "strategies.yaml",
        _set(
            ["conversations", "stress"],
            [{"id": f"s{n}", "direction": "higher", "text": "Ask."} for n in range(3)]
            + [{"id": "s_low", "direction": "lower", "text": "Say."}],
        ),
        "conversations.stress: needs one or two 'higher' starters, has 3",
    ),
    (
        "no starter for those who see an area lower",
        "strategies.yaml",
        _set(
            ["conversations", "stress"], [{"id": "s_high", "direction": "higher", "text": "Ask."}]
        ),
        "conversations.stress: needs one or two 'lower' starters, has 0",
    ),
    (
        "a starter without a direction",
        "strategies.yaml",
        _set(["conversations", "stress", 0, "direction"], "sideways"),
        "conversations.stress[0].direction",
    ),
    (
        "an item both optional and not applicable",
        "checkup.v3.yaml",
        _set(["items", 12, "optional"], True),
        "items[12].not_applicable: an item is optional or not_applicable, not both",
    ),
    (
        "overall needing more areas than there are",
        "checkup.v3.yaml",
        _set(["overall_needs"], 7),
        "overall_needs: is 7, but there are only 6 dimensions",
    ),
    (
        "a guide that leaves out a section",
        "strategies.yaml",
        _set(
            ["guide", "parts", 0, "sections"], [{"id": "communication breakdown", "heading": "C"}]
        ),
        "guide.parts: does not list the sections",
    ),
    ("id not matching the file name", "pulse.v1.yaml", _set(["id"], "pulses"), "id"),
    (
        "too few strategies for a dimension",
        "strategies.yaml",
        _drop_communication_strategies,
        "strategies: dimension 'communication' has 3 strategies",
    ),
    (
        "safety topic the app does not know",
        "checkup.v2.yaml",
        _set(["safety", 3, "topic"], "money"),
        "safety[3].topic",
    ),
    (
        "norms reliability above 1",
        "checkup.v1.yaml",
        _set(["dimensions", 2, "norms", "reliability"], 1.5),
        "dimensions[2].norms.reliability",
    ),
]


@pytest.mark.parametrize(("case", "file", "change", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definition_names_file_and_path(tmp_path, case, file, change, where) -> None:
    """Does each broken definition fail loading with the file and the place inside it?"""
    folder = _copy_definitions(tmp_path)
    _edit(folder, file, change)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    message = str(raised.value)
    assert message.startswith(f"{file}: "), message
    assert where in message, message


def test_yaml_syntax_error_names_the_line(tmp_path) -> None:
    """A file that is not YAML at all fails with its name and the line."""
    folder = _copy_definitions(tmp_path)
    (folder / "pulse.v1.yaml").write_text("id: pulse\nitems: [unclosed\n")
    with pytest.raises(QuestionnaireError, match=r"^pulse\.v1\.yaml: not valid YAML \(line \d+"):
        load_catalog(folder)


def test_a_list_instead_of_a_mapping_names_the_file(tmp_path) -> None:
    """A definition that is valid YAML but not a mapping is refused."""
    folder = _copy_definitions(tmp_path)
    (folder / "strategies.yaml").write_text("- just\n- a list\n")
    with pytest.raises(QuestionnaireError, match=r"^strategies\.yaml: must be a mapping"):
        load_catalog(folder)


def test_a_folder_without_a_checkup_is_refused(tmp_path) -> None:
    """The check-up is the one questionnaire every deployment needs."""
    folder = _copy_definitions(tmp_path)
    for path in folder.glob("checkup.v*.yaml"):
        path.unlink()
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    assert raised.value.file == "checkup.v<n>.yaml"
    assert raised.value.path == ""


def test_error_keeps_file_path_and_why_apart(tmp_path) -> None:
    """Can a caller read the file, the path and the reason separately?"""
    folder = _copy_definitions(tmp_path)
    _edit(folder, "checkup.v1.yaml", _set(["items", 3, "reverse"], "maybe"))
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    error = raised.value
    assert (error.file, error.path) == ("checkup.v1.yaml", "items[3].reverse")
    assert error.why == "Input should be a valid boolean"
    assert str(error) == "checkup.v1.yaml: items[3].reverse: Input should be a valid boolean"
