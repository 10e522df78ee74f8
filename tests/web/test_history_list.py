"""History lists every check-in, newest first, 50 a page, each a link to its result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event

from assessment.core.extensions import db
from assessment.core.models import utcnow
from tests.conftest import make_assessment, user_id_of

ROW = re.compile(r'<tr data-assessment="(\d+)"><td data-label="Date"><a href="/results/(\d+)">')


def add_assessments(app: Flask, username: str, count: int, start: int = 0) -> list[int]:
    """Store ``count`` check-ups and pulses a day apart through the real service; oldest first."""
    user_id = user_id_of(app, username)
    catalog = app.extensions["rekindle.catalog"]
    ids = []
    for index in range(start, start + count):
        definition = catalog.latest("pulse" if index % 3 == 2 else "checkup")
        level = 1 + index % 5
        ids.append(
            make_assessment(
                app,
                user_id,
                definition,
                {d.id: level for d in definition.dimensions},
                created_at=utcnow() - timedelta(days=400 - index),
            )
        )
    return ids


def listed(html: str) -> list[int]:
    """Assessment ids in the list, in page order, checking each row links to its own result."""
    rows = ROW.findall(html)
    assert all(row_id == link_id for row_id, link_id in rows)
    return [int(row_id) for row_id, _ in rows]


def count_statements(app: Flask, client, path: str) -> int:  # type: ignore[no-untyped-def]
    """How many SQL statements one GET of ``path`` sends."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_fifty_five_check_ins_list_newest_first_on_two_pages(app, member) -> None:
    """Do 55 check-ins list as 50 then 5, newest first, with date, kind and overall?"""
    ids = add_assessments(app, "alex", 55)
    first = member.client.get("/history").get_data(as_text=True)
    assert listed(first) == ids[::-1][:50]
    assert "Every check-in, page 1 of 2" in first
    assert 'href="/history?page=2#all-heading"' in first
    newest = first[first.index(f'data-assessment="{ids[-1]}"') :]
    newest = newest[: newest.index("\n")]
    assert "Relationship check-up" in newest and "out of 100" in newest
    pulse_row = first[first.index(f'data-assessment="{ids[-2]}"') :]
    assert "Pulse check" in pulse_row[: pulse_row.index("\n")]

    second = member.client.get("/history?page=2").get_data(as_text=True)
    assert listed(second) == ids[::-1][50:]
    assert "51 to 55 of 55" in second
    assert 'href="/history#all-heading"' in second  # back to the newer ones
    assert "chart-figure" not in second  # the charts are on the first page only
    for assessment_id in (ids[0], ids[-1]):
        result = member.client.get(f"/results/{assessment_id}")
        assert result.status_code == 200
        assert 'href="/history"' in result.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "3", "abc", "1.5", "٢", "", "1" * 40, "01"])
def test_a_page_that_is_not_one_is_404(app, member, page) -> None:
    """Does a page number that is not one, or past the last page, answer 404 (never 500)?"""
    add_assessments(app, "alex", 55)
    assert member.client.get("/history", query_string={"page": page}).status_code == 404


def words_of(html: str) -> str:
    """The text a person reads in the page's main part, tags gone, spaces collapsed."""
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.mark.parametrize("path", ["/history", "/history?page=1"])
def test_an_empty_history_invites_a_first_check_up(member, path) -> None:
    """Does an empty History say there is nothing yet and how long a check-up takes, link
    to taking one, and show no chart, table or list?"""
    response = member.client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    words = words_of(html)
    assert "Nothing here yet. Your first check-up takes about 4 minutes" in words
    first = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*Take your first check-up\s*</a>', html)
    assert first, "no link to take a first check-up"
    assert member.client.get(first.group(1)).status_code == 200  # the link leads somewhere
    assert first.group(1) == "/checkup"
    for absent in ("<table", "chart-", 'class="radar"', "all-heading", "Print or save"):
        assert absent not in html, absent
    assert "Every check-in" not in words and "so far" not in words


def test_an_empty_history_has_one_page(member) -> None:
    """Is there no page 2 of an empty history (404, never a second empty page)?"""
    assert member.client.get("/history?page=2").status_code == 404


def test_statements_per_page_do_not_grow_with_the_history(app, member) -> None:
    """Does each History page send the same number of SQL statements for 5 or 55 check-ins?"""
    add_assessments(app, "alex", 5)
    # The first page of a process also reads the stored norms, kept for a minute after.
    member.client.get("/history")
    few = count_statements(app, member.client, "/history")
    add_assessments(app, "alex", 50, start=5)
    assert count_statements(app, member.client, "/history") == few
    assert count_statements(app, member.client, "/history?page=2") <= few
