"""`flask norms report|update|export|import` on a real SQLite file (docs/architecture.md#norms)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pingouin
import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from assessment.core.extensions import db
from assessment.core.server_tables import NormsVersion
from questionnaires.models import Questionnaire
from tests.conftest import app_settings
from tests.support.people import add_assessment, draw_answers, later, store_people

DIMENSION_KEYS = {"id", "n", "alpha", "alpha_ci", "sd", "items", "enough"}


@pytest.fixture
def checkup(catalog) -> Questionnaire:  # type: ignore[no-untyped-def]
    """Version 1 of the check-up: a server's data on an older version is still measured."""
    return catalog.get("checkup", 1)


def _seed(
    app: Flask, people: int, seed: int, prefix: str = "p", **options
) -> tuple[list[dict], list[int]]:
    """``people`` new users with one check-up each: (their answers, their user ids)."""
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        checkup = catalog.get("checkup", 1)
        answers = draw_answers(checkup, people, seed, **options)
        ids = store_people(catalog, checkup, answers, prefix)
    return answers, ids


def json_report(runner) -> dict:  # type: ignore[no-untyped-def]
    """`flask norms report --json`, read."""
    result = runner.invoke(args=["norms", "report", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _dimension(report: dict, qid: str, dimension: str, version: int = 1) -> dict:
    for questionnaire in report["questionnaires"]:
        if questionnaire["id"] == qid and questionnaire["version"] == version:
            return next(d for d in questionnaire["dimensions"] if d["id"] == dimension)
    raise AssertionError(f"{qid} v{version} not in the report")


def _keyed(definition: Questionnaire, answers: list[dict], dimension: str) -> pd.DataFrame:
    """Keyed answers of those who answered every item of the dimension, built by hand."""
    low, high = definition.scale.min, definition.scale.max
    items = definition.items_of(dimension)
    rows = []
    for person in answers:
        values = [person[i.id] for i in items]
        if any(v is None for v in values):
            continue
        rows.append(
            [low + high - v if i.reverse else v for i, v in zip(items, values, strict=True)]
        )
    return pd.DataFrame(rows, columns=[i.id for i in items], dtype="float64")


def test_report_json_is_pingouin_on_each_persons_first_checkup(app, runner, checkup) -> None:
    """Is the JSON the §12 shape, from first check-ups only, with pingouin's alpha and CI?"""
    answers, ids = _seed(app, 45, seed=1, skip={0: "int_close", 5: "int_close"})
    with app.app_context():
        # A later check-up of each of the first ten, answered all "1": it must not count.
        catalog = app.extensions["rekindle.catalog"]
        for user_id in ids[:10]:
            add_assessment(catalog, checkup, user_id, {i.id: 1 for i in checkup.items}, later(30))
        db.session.commit()
    report = json_report(runner)
    # Every version the server knows is reported, answered or not.
    assert {(q["id"], q["version"]) for q in report["questionnaires"]} == set(
        app.extensions["rekindle.catalog"].questionnaires
    )
    assert set(report) == {"questionnaires"}
    for dimension in checkup.dimensions:
        figures = _dimension(report, "checkup", dimension.id)
        assert set(figures) == DIMENSION_KEYS
        frame = _keyed(checkup, answers, dimension.id)
        alpha, interval = pingouin.cronbach_alpha(data=frame)
        assert figures["n"] == len(frame)
        assert figures["enough"] is True
        assert figures["alpha"] == pytest.approx(alpha, abs=1e-9)
        assert figures["alpha_ci"] == [float(interval[0]), float(interval[1])]
        scores = 100 * (frame.mean(axis=1) - 1) / 4
        assert figures["sd"] == pytest.approx(scores.std(ddof=1), abs=1e-9)
        for item in figures["items"]:
            rest = frame.drop(columns=[item["id"]]).sum(axis=1)
            assert item["item_total_r"] == pytest.approx(frame[item["id"]].corr(rest), abs=1e-9)
            without, _ = pingouin.cronbach_alpha(data=frame.drop(columns=[item["id"]]))
            assert item["alpha_if_deleted"] == pytest.approx(without, abs=1e-9)
    # Two people skipped an intimacy question: alpha there is over those who answered all.
    assert _dimension(report, "checkup", "intimacy")["n"] == 43
    assert _dimension(report, "checkup", "communication")["n"] == 45
    # Nobody took the pulse yet.
    assert _dimension(report, "pulse", "communication")["enough"] is False


def test_an_earlier_checkup_stored_later_is_the_first(app, runner, checkup) -> None:
    """The sample is each person's earliest check-up by date, whatever order rows came in."""
    _answers, ids = _seed(app, 40, seed=2)
    before = json_report(runner)
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        for user_id in ids:
            add_assessment(catalog, checkup, user_id, {i.id: 3 for i in checkup.items}, later(-5))
        db.session.commit()
    after = json_report(runner)
    assert before != after
    # Everyone's first is now all "3": no variance, so alpha cannot be measured.
    assert _dimension(after, "checkup", "communication")["alpha"] is None
    assert _dimension(after, "checkup", "communication")["sd"] == 0


def test_fewer_than_thirty_people_is_not_enough_and_shows_no_figures(app, runner) -> None:
    """29 people: `enough` false, every figure null, n still said."""
    _seed(app, 29, seed=3)
    figures = _dimension(json_report(runner), "checkup", "communication")
    assert figures["n"] == 29
    assert figures["enough"] is False
    assert figures["alpha"] is None and figures["alpha_ci"] is None and figures["sd"] is None
    assert all(
        i["item_total_r"] is None and i["alpha_if_deleted"] is None for i in figures["items"]
    )
    text = runner.invoke(args=["norms", "report"]).output
    assert "not enough yet" in text


def test_the_table_marks_weak_items_for_review(app, runner) -> None:
    """An item that measures nothing has item-total r under 0.3 and is marked for review."""
    _seed(app, 120, seed=4, noise_items=frozenset({"com_listen"}))
    result = runner.invoke(args=["norms", "report"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("Relationship check-up (checkup v1)") for line in lines)
    weak = next(line for line in lines if line.strip().startswith("com_listen"))
    assert "review: item-total r under 0.3" in weak
    strong = [
        line for line in lines if line.strip().startswith("com_") and "com_listen" not in line
    ]
    assert strong and not any("review" in line for line in strong)


def test_update_leaves_too_few_people_and_says_why(app, runner) -> None:
    """With the default --min-n 200, 60 people change nothing, and each area says why."""
    _seed(app, 60, seed=5)
    result = runner.invoke(args=["norms", "update"])
    assert result.exit_code == 0, result.output
    assert "left checkup v1 en communication: 60 people answered every question of it;" in (
        result.output
    )
    assert "it needs 200" in result.output
    assert "left pulse v1 en communication: it has one question" in result.output
    with app.app_context():
        assert db.session.scalars(select(NormsVersion)).all() == []


def test_update_stores_rounded_norms_for_areas_that_meet_both_rules(app, runner) -> None:
    """sd to 0.1, reliability = alpha to 0.01, n and date; a wide interval is left, with why."""
    _seed(
        app, 220, seed=6, noise_items=frozenset({"sup_friends", "sup_learning", "sup_outside_help"})
    )
    report = json_report(runner)
    result = runner.invoke(args=["norms", "update", "--max-half-width", "0.04"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = {row.dimension: row for row in db.session.scalars(select(NormsVersion))}
    stored_any = False
    for dimension in (
        "communication",
        "emotional_needs",
        "stress",
        "romance",
        "intimacy",
        "support",
    ):
        figures = _dimension(report, "checkup", dimension)
        lo, hi = figures["alpha_ci"]
        narrow = (hi - lo) / 2 <= 0.04 + 0.001  # the printed interval is rounded
        if dimension in rows:
            stored_any = True
            row = rows[dimension]
            assert row.sd == round(figures["sd"], 1)
            assert row.reliability == round(figures["alpha"], 2)
            assert row.n == figures["n"] == 220
            assert row.origin == "server"
            assert row.questionnaire_id == "checkup" and row.questionnaire_version == 1
            figures_said = f"sd {row.sd:.1f}, reliability {row.reliability:.2f}"
            said = f"updated checkup v1 en {dimension}: {figures_said}"
            assert said in result.output
        else:
            assert not narrow or figures["alpha"] is None
            assert re.search(rf"left checkup v1 en {dimension}: .*needs ±0.04", result.output)
    assert stored_any
    assert "support" not in rows  # three of its questions measure nothing: interval too wide
    again = runner.invoke(args=["norms", "update", "--max-half-width", "0.04"])
    assert "unchanged since" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(NormsVersion)).all()) == len(rows)


def test_update_refuses_rules_looser_than_the_report_shows(runner) -> None:
    """--min-n below 30 is refused: below it the report shows no figures at all."""
    result = runner.invoke(args=["norms", "update", "--min-n", "5"])
    assert result.exit_code == 2
    assert "--min-n" in result.output


# --- export and import ---------------------------------------------------------------


@pytest.fixture
def other_app(tmp_path: Path, migrated_sqlite: Path):  # type: ignore[no-untyped-def]
    """A second server with its own database."""
    folder = tmp_path / "other"
    folder.mkdir()
    database = folder / "other.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    application = create_app(app_settings(folder, f"sqlite:///{database}"))
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_halves_exported_and_imported_give_the_whole(app, runner, other_app, tmp_path) -> None:
    """Pooled from two servers' exports equals the report on all the answers, to 1e-9."""
    half_a = tmp_path / "a.json"
    half_b = tmp_path / "b.json"
    _seed(app, 70, seed=7, prefix="a", skip={3: "int_touch"})
    assert runner.invoke(args=["norms", "export", str(half_a)]).exit_code == 0
    # The other server's people answer a little differently (another seed, another mean).
    answers_b, _ids = _seed(other_app, 55, seed=8, prefix="b")
    result = other_app.test_cli_runner().invoke(args=["norms", "export", str(half_b)])
    assert result.exit_code == 0, result.output
    assert "left out pulse v1 en communication: 0 people, fewer than 30" in result.output
    # Now put the second half on the first server too: its report is on the whole set.
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        store_people(catalog, catalog.get("checkup", 1), answers_b, "b")
    whole = json_report(runner)
    pooled_run = runner.invoke(args=["norms", "import", str(half_a), str(half_b), "--json"])
    assert pooled_run.exit_code == 0, pooled_run.output
    pooled = json.loads(pooled_run.stdout)
    for dimension in ("communication", "intimacy", "support"):
        mine, theirs = (
            _dimension(pooled, "checkup", dimension),
            _dimension(whole, "checkup", dimension),
        )
        assert mine["n"] == theirs["n"]
        assert mine["alpha"] == pytest.approx(theirs["alpha"], abs=1e-9)
        assert mine["sd"] == pytest.approx(theirs["sd"], abs=1e-9)
        assert mine["alpha_ci"] == theirs["alpha_ci"]
        for a, b in zip(mine["items"], theirs["items"], strict=True):
            assert a["item_total_r"] == pytest.approx(b["item_total_r"], abs=1e-9)
            assert a["alpha_if_deleted"] == pytest.approx(b["alpha_if_deleted"], abs=1e-9)
    assert _dimension(pooled, "checkup", "intimacy")["n"] == 124


def test_the_export_holds_no_answer_username_or_date(app, runner, tmp_path) -> None:
    """Only n, item ids, means and covariances: nothing of any one person."""
    _seed(app, 40, seed=9, prefix="someone-")
    path = tmp_path / "export.json"
    assert runner.invoke(args=["norms", "export", str(path)]).exit_code == 0
    text = path.read_text()
    document = json.loads(text)
    assert set(document) == {"format", "format_version", "about", "questionnaires"}
    for questionnaire in document["questionnaires"]:
        assert set(questionnaire) == {"id", "version", "language", "dimensions"}
        assert questionnaire["language"] == "en"
        for dimension in questionnaire["dimensions"]:
            assert set(dimension) == {"id", "items", "n", "means", "covariance"}
            assert dimension["n"] >= 30
            k = len(dimension["items"])
            assert len(dimension["means"]) == k
            assert [len(row) for row in dimension["covariance"]] == [k] * k
    assert "someone-" not in text
    assert "username" not in text and "password" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO date
    # No list as long as the number of people: no column of answers hides in it.
    assert not re.search(r"\[(?:[^\[\]]*,){39}[^\[\]]*\]", text)
    assert [q["id"] for q in document["questionnaires"]] == ["checkup"]  # pulse: no one yet


def test_import_update_stores_pooled_norms_named_as_pooled(app, runner, tmp_path) -> None:
    """`import --update` stores norms by the same rules, marked as pooled from servers."""
    _seed(app, 240, seed=10)
    path = tmp_path / "all.json"
    assert runner.invoke(args=["norms", "export", str(path)]).exit_code == 0
    result = runner.invoke(
        args=["norms", "import", str(path), "--update", "--max-half-width", "0.2"]
    )
    assert result.exit_code == 0, result.output
    assert "updated checkup v1 en communication" in result.output
    with app.app_context():
        rows = db.session.scalars(select(NormsVersion)).all()
    assert rows and {row.origin for row in rows} == {"pooled"}
    assert {row.n for row in rows} == {240}


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "is not JSON"),
        ('{"format": "something else"}', "is not a Rekindle norms export"),
        (
            '{"format": "rekindle-norms-aggregates", "format_version": 1, "questionnaires":'
            ' [{"id": "checkup", "version": 1, "dimensions": [{"id": "communication",'
            ' "items": ["a", "b"], "n": 40, "means": [1, 2], "covariance": [[1, 0], [0, "x"]]}]}]}',
            "must hold only numbers",
        ),
        (
            '{"format": "rekindle-norms-aggregates", "format_version": 1, "questionnaires":'
            ' [{"id": "checkup", "version": 1, "dimensions": [{"id": "communication",'
            ' "items": ["a", "b"], "n": 40, "means": [1, 2], "covariance": [[1, 0], [0, 1]]}]}]}',
            "has other questions than this server's definition",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(
    app, runner, tmp_path, content, message
) -> None:
    """A broken or foreign file: exit 1, a message naming the file, nothing stored."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = runner.invoke(args=["norms", "import", str(path), "--update", "--min-n", "30"])
    assert result.exit_code == 1
    assert message in result.output and "bad.json" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalars(select(NormsVersion)).all() == []


def test_export_to_a_folder_that_does_not_exist_says_so(runner, tmp_path) -> None:
    """No traceback: a plain message and exit code 1."""
    result = runner.invoke(args=["norms", "export", str(tmp_path / "missing" / "x.json")])
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output
