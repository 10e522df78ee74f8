"""Measured norms judge change on every page, and every change table says which norms it used."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask

from assessment.norms.store import store_norms
from scoring import RELIABLE_IMPROVEMENT, SEE_DIFFERENTLY, SEE_SAME, WITHIN_NORMAL
from tests.conftest import Person
from tests.web.test_partner import levels, link, new_person, share

STORED_ON = datetime(2026, 11, 30, 12, 0)
# Wide norms: 1.96 x S_diff = 1.96 x sqrt(2) x 30 x sqrt(0.5) = 58.8 points, so two answer
# steps (50 points) that are reliable with the provisional norms (27.3) no longer are.
WIDE = ("communication", 30.0, 0.5, 250)
FROM_SERVER = "from 250 people on this server who answered in English, 30 November 2026"


def _store(app: Flask, qid: str = "checkup", *chosen: tuple[str, float, float, int]) -> None:
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        store_norms(catalog.latest(qid), chosen or [WIDE], now=STORED_ON)


def _write_row(app: Flask, version: int, row: tuple[str, float, float, int]) -> None:
    """A stored norms row (dimension, sd, reliability, n), written straight to the table."""
    from sqlalchemy import insert

    from assessment.core.extensions import db
    from assessment.core.server_tables import NormsVersion

    dimension, sd, reliability, n = row
    with app.app_context():
        db.session.execute(
            insert(NormsVersion).values(
                questionnaire_id="checkup",
                questionnaire_version=version,
                dimension=dimension,
                sd=sd,
                reliability=reliability,
                n=n,
                origin="server",
                created_at=STORED_ON,
            )
        )
        db.session.commit()


def _label(page: str, area: str, table: str = "change-table") -> str:
    """The label of an area's row in the first table of this class on the page."""
    body = page[page.index(f'class="data-table {table}"') :]
    row = re.search(rf'<th scope="row">{area}</th>(.*?)</tr>', body, re.S)
    assert row, area
    last_cell = re.split(r"<td\b[^>]*>", row.group(1))[-1]
    return re.sub(r"<[^>]+>", "", last_cell).strip()


def _measures_row(
    page: str, questionnaire: str = "checkup", area: str = "Communication"
) -> list[str]:
    """The cells of an area's row in a questionnaire's table of norms, tags removed."""
    table = page[page.index(f'data-questionnaire="{questionnaire}"') :]
    row = re.search(rf'<th scope="row">{area}</th>(.*?)</tr>', table, re.S)
    assert row, area
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.split(r"<td\b[^>]*>", row.group(1))[1:]]


def _notes(page: str) -> list[str]:
    """The text of every norms note on the page, tags removed."""
    found = re.findall(r'<p class="hint norms-note"[^>]*>(.*?)</p>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", note).split()) for note in found]


def _two_checkups(member: Person, checkup) -> int:  # type: ignore[no-untyped-def]
    member.take(checkup, levels(communication=2))
    return member.take(checkup, levels(communication=4))


def test_result_page_uses_the_newest_norms_and_names_them(app, member, checkup) -> None:
    """Provisional until `norms update` stores some; then the stored ones, named, on the page."""
    latest = _two_checkups(member, checkup)
    page = member.client.get(f"/results/{latest}").get_data(as_text=True)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    assert _notes(page) == ["Norms: provisional. About these measures."]
    assert 'href="/about/measures"' in page

    _store(app, "checkup", ("communication", 12.0, 0.5, 90))  # an older, narrower version
    _store(app)  # the newest: the one that counts
    page = member.client.get(f"/results/{latest}").get_data(as_text=True)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert _notes(page) == [
        f"Norms: Communication: {FROM_SERVER}; Emotional needs, Facing stress together,"
        " Romance, Intimacy, Support and growth: provisional. About these measures."
    ]


def test_history_tables_use_the_newest_norms_and_name_them(app, member, checkup, pulse) -> None:
    """Both change tables of History, and the pulse's, each with the norms it used."""
    _two_checkups(member, checkup)
    member.take(pulse, levels())
    member.take(pulse, levels())
    page = member.client.get("/history").get_data(as_text=True)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    _store(app)
    page = member.client.get("/history").get_data(as_text=True)
    # Two check-ups: since the previous is since the first, one table.
    (since_first,) = re.findall(
        r'<th scope="row">Communication</th>.*?</tr>',
        page[page.index('id="changes-heading"') : page.index("Pulse check:")],
        re.S,
    )
    assert WITHIN_NORMAL in since_first
    notes = _notes(page)
    assert len(notes) == 2
    assert notes[0].startswith(f"Norms: Communication: {FROM_SERVER};")
    assert notes[1] == "Norms: provisional. About these measures."  # the pulse's own


def test_what_you_tried_uses_and_names_the_norms(app, member, checkup) -> None:
    """The "What you tried" table judges its change with the stored norms too."""
    first = member.take(checkup, levels(communication=2))
    page = member.client.get(f"/results/{first}").get_data(as_text=True)
    strategy = re.search(r'data-strategy="(\w+)"', page).group(1)
    member.choose_plan(first, strategy)
    member.take(checkup, levels(communication=4))
    before = member.client.get("/history").get_data(as_text=True)
    assert (
        f'+50.0: <span class="change change-reliable-improvement">{RELIABLE_IMPROVEMENT}'
        in (before[before.index('id="tried-heading"') :])
    )
    _store(app)
    page = member.client.get("/history").get_data(as_text=True)
    assert (
        f'+50.0: <span class="change change-within-normal-variation">{WITHIN_NORMAL}'
        in (page[page.index('id="tried-heading"') :])
    )
    tried = page[
        page.index('id="tried-heading"') : page.index("</section>", page.index("tried-heading"))
    ]
    assert "Relationship check-up: Norms: Communication: " + FROM_SERVER in " ".join(_notes(tried))


def test_partner_gaps_use_the_newest_norms_and_name_them(app, checkup) -> None:
    """A two-step gap is "seen differently" with provisional norms, "much the same" with wide."""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    link(app, alex, sam)
    share(alex, alex.take(checkup, levels(communication=2)))
    share(sam, sam.take(checkup, levels(communication=4)))
    page = alex.client.get("/partner").get_data(as_text=True)
    assert _label(page, "Communication", "gap-table") == SEE_DIFFERENTLY
    assert _notes(page) == ["Norms: provisional. About these measures."]
    _store(app)
    page = alex.client.get("/partner").get_data(as_text=True)
    assert _label(page, "Communication", "gap-table") == SEE_SAME
    assert _notes(page)[0].startswith(f"Norms: Communication: {FROM_SERVER};")


def test_about_measures_explains_and_lists_the_norms_in_use(app, client) -> None:
    """A plain page, open to anyone: scores, bands, reliable change, and each area's norms."""
    response = client.get("/about/measures")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for heading in ("Scores", "Bands", "Reliable change", "The norms in use"):
        assert f">{heading}</h2>" in page
    # Open to anyone: it says what the person who runs the server can do, not their commands.
    assert "flask" not in page and "can measure them and store them" in page
    assert _measures_row(page) == [
        "18.0",
        "0.70",
        "27.3 points",
        "provisional",
    ]
    _store(app)
    page = client.get("/about/measures").get_data(as_text=True)
    assert _measures_row(page) == [
        "30.0",
        "0.50",
        "58.8 points",
        FROM_SERVER,
    ]
    pulse_table = page[page.index('data-questionnaire="pulse"') :]
    assert "22.0" in pulse_table and "provisional" in pulse_table


def test_norms_stored_by_another_process_show_after_the_refresh(
    app, member, checkup, monkeypatch
) -> None:
    """`flask norms update` runs in its own process: pages pick its rows up on refresh."""

    from assessment.norms import store as norms

    latest = _two_checkups(member, checkup)
    assert _label(
        member.client.get(f"/results/{latest}").get_data(as_text=True), "Communication"
    ) == (RELIABLE_IMPROVEMENT)
    _write_row(app, checkup.version, WIDE)  # as another process would: this one is not told
    page = member.client.get(f"/results/{latest}").get_data(as_text=True)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT  # still the copy in memory
    monkeypatch.setattr(norms, "REFRESH_SECONDS", 0.0)
    page = member.client.get(f"/results/{latest}").get_data(as_text=True)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert FROM_SERVER in _notes(page)[0]


def test_a_stored_row_that_cannot_judge_change_is_passed_over(app, member, checkup) -> None:
    """A hand-written reliability of 1 would divide by zero: the previous usable norms stand."""

    latest = _two_checkups(member, checkup)
    _store(app)
    _write_row(app, checkup.version, ("communication", 20.0, 1.0, 500))
    app.extensions.pop("rekindle.norms", None)
    response = member.client.get(f"/results/{latest}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert FROM_SERVER in _notes(page)[0]
