"""Couples: invite, join, unlink, share, compare, and what a partner never sees.

See docs/architecture.md#partner.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import plotly.graph_objects as go
import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app import create_app
from assessment.core.extensions import db
from assessment.core.models import Assessment, PartnerInvite, User, utcnow
from scoring import SEE_DIFFERENTLY, SEE_SAME
from tests.conftest import (
    DIMENSIONS,
    Person,
    figures,
    hidden_fields,
    levels,
    radar_of,
    row_counts,
    time_passes,
    user_id_of,
)
from tests.conftest import app_settings as settings_for

JOIN_LINK = re.compile(r'value="(https?://[^"/]+)(/partner/join/([A-Za-z0-9_-]+))"')


# --- helpers -------------------------------------------------------------------------------


def new_person(app: Flask, username: str) -> Person:
    """A registered, signed-in person with a browser of their own."""
    person = Person(app.test_client())
    assert person.register(username).status_code == 303
    return person


def invite(person: Person) -> str:
    """Make an invitation and return the join path /partner shows once."""
    response = person.client.post("/partner/invite", data={"csrf_token": person.csrf("/partner")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/partner")
    match = JOIN_LINK.search(person.client.get("/partner").get_data(as_text=True))
    assert match, "the invitation link is shown"
    return match.group(2)


def join(person: Person, path: str):  # type: ignore[no-untyped-def]
    """Confirm an invitation the way the join page's form posts."""
    return person.client.post(path, data={"csrf_token": person.csrf("/partner")})


def link(app: Flask, first: Person, second: Person) -> None:
    """Link two people through the real invite and join pages."""
    assert join(second, invite(first)).status_code == 303


def share(person: Person, assessment_id: int, choice: str = "yes", **extra: str):  # type: ignore[no-untyped-def]
    """Post the share switch of a result page."""
    data = {"csrf_token": person.csrf("/partner"), "share": choice, **extra}
    return person.client.post(f"/results/{assessment_id}/share", data=data)


def set_created(app: Flask, assessment_id: int, days_ago: float) -> None:
    """Move an assessment back in time."""
    with app.app_context():
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == assessment_id)
            .values(created_at=utcnow() - timedelta(days=days_ago))
        )
        db.session.commit()


def shared_ids(app: Flask) -> set[int]:
    """Ids of every assessment currently shared."""
    with app.app_context():
        return set(db.session.scalars(select(Assessment.id).where(Assessment.shared)))


@pytest.fixture
def alex(app: Flask) -> Person:
    """The first person of a couple."""
    return new_person(app, "alex")


@pytest.fixture
def sam(app: Flask) -> Person:
    """The second person of a couple."""
    return new_person(app, "sam")


@pytest.fixture
def couple(app: Flask, alex: Person, sam: Person) -> tuple[Person, Person]:
    """Alex invited Sam and Sam joined."""
    link(app, alex, sam)
    return alex, sam


# --- 1. invite, join, unlink ---------------------------------------------------------------


def test_invite_link_is_shown_once_and_only_its_hash_is_stored(app, alex) -> None:
    """Is the new link shown once on /partner, stored as a SHA-256 only, valid seven days?"""
    response = alex.client.post("/partner/invite", data={"csrf_token": alex.csrf("/partner")})
    assert response.status_code == 303
    first = alex.client.get("/partner").get_data(as_text=True)
    assert 'id="quick-exit"' in first
    match = JOIN_LINK.search(first)
    assert match and match.group(1).startswith("http")
    token = match.group(3)
    again = alex.client.get("/partner").get_data(as_text=True)
    assert token not in again
    assert "invitation waiting" in again
    with app.app_context():
        stored = db.session.scalars(select(PartnerInvite)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        row = [getattr(stored, c.name) for c in PartnerInvite.__table__.columns]
        assert token not in " ".join(str(value) for value in row)
        valid = stored.expires_at - stored.created_at
        assert valid == timedelta(days=7)


def test_joining_links_both_people_and_uses_up_the_invite(app, alex, sam) -> None:
    """Does a confirmed join link both accounts, and does the link then answer 410?"""
    path = invite(alex)
    confirm = sam.client.get(path)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "alex" in page and 'id="quick-exit"' in page
    assert set(hidden_fields(page)) == {"csrf_token"}
    assert join(sam, path).status_code == 303
    assert "You and alex" in sam.client.get("/partner").get_data(as_text=True)
    assert "You and sam" in alex.client.get("/partner").get_data(as_text=True)
    casey = new_person(app, "casey")
    before = row_counts(app)
    used = casey.client.get(path)
    assert used.status_code == 410
    assert 'id="quick-exit"' in used.get_data(as_text=True)
    assert join(casey, path).status_code == 410
    assert row_counts(app) == before


def test_a_newer_invite_makes_the_older_link_answer_410(app, alex, sam) -> None:
    """Does a new invitation replace the old one, leaving only the new one usable?"""
    old = invite(alex)
    new = invite(alex)
    assert sam.client.get(old).status_code == 410
    assert join(sam, old).status_code == 410
    assert join(sam, new).status_code == 303


def test_an_expired_invite_answers_410_and_changes_nothing(app, alex, sam) -> None:
    """Is an invitation older than seven days refused with a clear page?"""
    path = invite(alex)
    with app.app_context():
        db.session.execute(update(PartnerInvite).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    before = row_counts(app)
    response = join(sam, path)
    assert response.status_code == 410
    assert "Please ask for a new link" in response.get_data(as_text=True)
    assert row_counts(app) == before


def test_unknown_token_is_404_and_your_own_is_400(app, alex) -> None:
    """Are a made-up link and one's own link refused, each with its own page?"""
    path = invite(alex)
    unknown = alex.client.get("/partner/join/" + "x" * 43)
    assert unknown.status_code == 404
    assert "could not find this invitation" in unknown.get_data(as_text=True)
    own = alex.client.get(path)
    assert own.status_code == 400
    assert "your own invitation" in own.get_data(as_text=True)
    before = row_counts(app)
    assert join(alex, path).status_code == 400
    assert row_counts(app) == before


def test_inviting_or_joining_while_linked_is_409(app, couple) -> None:
    """Can a linked person make an invite or join a third person? (No: 409, nothing changed.)"""
    alex, _sam = couple
    casey = new_person(app, "casey")
    path = invite(casey)
    before = row_counts(app)
    response = alex.client.post("/partner/invite", data={"csrf_token": alex.csrf("/partner")})
    assert response.status_code == 409
    assert 'id="quick-exit"' in response.get_data(as_text=True)
    assert alex.client.get(path).status_code == 409
    assert join(alex, path).status_code == 409
    assert row_counts(app) == before


def test_unlinking_ends_it_for_both_and_unshares_everything(app, couple, checkup) -> None:
    """Does either person's unlink end the link for both at once and un-share both sides?"""
    alex, sam = couple
    mine, theirs = alex.take(checkup, levels()), sam.take(checkup, levels())
    assert share(alex, mine).status_code == 303
    assert share(sam, theirs).status_code == 303
    assert shared_ids(app) == {mine, theirs}
    response = sam.client.post("/partner/unlink", data={"csrf_token": sam.csrf("/partner")})
    assert response.status_code == 303
    assert shared_ids(app) == set()
    assert row_counts(app)["partner_links"] == 0
    page = alex.client.get("/partner").get_data(as_text=True)
    assert "You and sam" not in page and "Make an invitation link" in page


# --- 2. sharing ----------------------------------------------------------------------------


def test_sharing_is_off_by_default_and_can_be_undone(app, couple, checkup) -> None:
    """Is a new check-up unshared, and does its switch turn sharing on and off again?"""
    alex, sam = couple
    mine = alex.take(checkup, levels(communication=1))
    assert shared_ids(app) == set()
    assert "Your partner's check-up" not in sam.client.get("/partner").get_data(as_text=True)
    result = alex.client.get(f"/results/{mine}").get_data(as_text=True)
    assert "Share with my partner" in result
    assert share(alex, mine).status_code == 303
    assert "Your partner's check-up" in sam.client.get("/partner").get_data(as_text=True)
    assert "Stop sharing" in alex.client.get(f"/results/{mine}").get_data(as_text=True)
    assert share(alex, mine, "no").status_code == 303
    assert shared_ids(app) == set()
    assert "Your partner's check-up" not in sam.client.get("/partner").get_data(as_text=True)


def test_share_checks_come_in_the_documented_order(app, alex, sam, checkup, pulse) -> None:
    """Is it 404 another's, 400 pulse or odd value, 403 flagged, 409 unlinked, and no always?"""
    mine = alex.take(checkup, levels())
    theirs = sam.take(checkup, levels())
    quick = alex.take(pulse, levels())
    flagged = alex.take(checkup, levels(), flagged=True)
    assert share(alex, theirs, "maybe").status_code == 404
    assert share(alex, theirs, "no").status_code == 404
    assert share(alex, quick, "yes").status_code == 400
    assert share(alex, mine, "maybe").status_code == 400
    assert share(alex, flagged, "yes").status_code == 403
    assert share(alex, mine, "yes").status_code == 409
    assert share(alex, mine, "no").status_code == 303
    link(app, alex, sam)
    assert share(alex, flagged, "yes").status_code == 403
    assert share(alex, mine, "yes").status_code == 303
    assert shared_ids(app) == {mine}


# --- 2 and 3. what crosses the link --------------------------------------------------------

SEEDS = ("/", "/checkup", "/history", "/account", "/partner", "/export.json", "/export.csv")
_HREF = re.compile(r'(?:href|action)="(/[^"#]*)')
_VOLATILE = re.compile(r'<input[^>]*name="(?:csrf_token|submission_token)"[^>]*>')


def walk(person: Person) -> dict[str, str]:
    """Every page and JSON a person can reach from the site's links, by path."""
    pages: dict[str, str] = {}
    queue = list(SEEDS)
    while queue:
        path = queue.pop(0)
        if path in pages or path.startswith(("/static/", "/assets/", "/reminders/")):
            continue  # files that change with the clock: a calendar reminder holds "now"
        if path == "/leave":
            continue  # leaving signs out, as the sign-out button does
        response = person.client.get(path)
        if response.status_code != 200:
            pages[path] = f"status {response.status_code}"
            continue
        text = _VOLATILE.sub("<input fresh-token>", response.get_data(as_text=True))
        pages[path] = text
        queue.extend(p for p in _HREF.findall(text) if p not in pages)
    return pages


def is_questionnaire(path: str) -> bool:
    """Questionnaire pages hold every item's wording, for anyone; so does one's own CSV export,
    which names each question beside one's own answers (its ids are checked apart)."""
    return re.fullmatch(r"/checkup/\w+|/export\.csv(\?safety=(no|yes))?", path) is not None


def score_cells(html: str, area: str) -> list[tuple[str, str]]:
    """(score, band) in each column of an area's row, in the first scores table of ``html``."""
    row = re.search(rf'<th scope="row">{area}</th>(.*?)</tr>', html, re.S)
    assert row, area
    return re.findall(
        r'<td\b[^>]*>([\d.—]+) <span class="band[^"]*">([^<]+)</span></td>', row.group(1)
    )


def suggested_titles(app: Flask, assessment_id: int) -> set[str]:
    """Titles of the strategies a result suggested."""
    catalog = app.extensions["rekindle.catalog"]
    with app.app_context():
        stored = db.session.get(Assessment, assessment_id).suggestions
    return {catalog.strategies.by_id(s["strategy_id"]).title for s in stored}


def test_a_partner_sees_only_date_scores_and_bands(app, couple, checkup) -> None:
    """Walking every page the partner can reach, is anything but date, scores and bands found?"""
    alex, sam = couple
    mine = alex.take(checkup, levels(communication=1, romance=1, support=4))
    theirs = sam.take(checkup, dict.fromkeys(DIMENSIONS, 5) | {"support": 4})
    assert share(alex, mine).status_code == 303
    assert share(sam, theirs).status_code == 303
    alex_titles = suggested_titles(app, mine) - suggested_titles(app, theirs)
    assert alex_titles, "alex's result suggests strategies of its own"
    catalog = app.extensions["rekindle.catalog"]
    with app.app_context():
        offered = [s["strategy_id"] for s in db.session.get(Assessment, mine).suggestions]
    planned = next(s for s in offered if catalog.strategies.by_id(s).title in alex_titles)
    chosen = alex.client.post(
        "/plans",
        data={"csrf_token": alex.csrf("/partner"), "strategy_id": planned, "assessment_id": mine},
    )
    assert chosen.status_code == 303  # alex's plan title must not reach sam either

    pages = walk(sam)
    partner_page = pages["/partner"]
    # The walk sees the share: alex's own figures, in the radar and in the table beside it.
    alex_scores = [0.0, 50.0, 50.0, 0.0, 50.0, 75.0]  # levels 1, 3, 3, 1, 3, 4
    radar = radar_of(partner_page)
    assert radar["names"] == ["You", "Your partner"]
    assert radar["scores"][1] == [f"{score:.1f}" for score in alex_scores]
    radar_table = partner_page[partner_page.index('class="radar"') :]
    assert score_cells(radar_table, "Communication") == [
        ("100.0", "strength"),  # sam's own, in the first column
        ("0.0", "room to grow"),  # alex's shared figure, beside it
    ]
    assert sam.client.get(f"/results/{mine}").status_code == 404
    wording = [item.text for item in checkup.items] + [item.text for item in checkup.safety]
    for path, text in pages.items():
        assert f"/results/{mine}" not in text, path
        assert "Suggested because you answered" not in text, path
        for title in alex_titles:
            assert title not in text, (path, title)
        if not is_questionnaire(path):
            for words in wording:
                assert words not in text, (path, words)
    export = json.loads(pages["/export.json"])
    assert [a["id"] for a in export["assessments"]] == [theirs]
    for path in ("/export.csv", "/export.csv?safety=yes"):
        rows = list(csv.DictReader(io.StringIO(pages[path])))
        assert {row["assessment_id"] for row in rows} == {str(theirs)}, path

    flagged = alex.take(checkup, levels(communication=2), flagged=True)
    flagged_page = alex.client.get(f"/results/{flagged}").get_data(as_text=True)
    assert 'id="share"' not in flagged_page and "Share with my partner" not in flagged_page
    assert share(alex, flagged).status_code == 403
    after = walk(sam)
    assert after == pages  # not a byte of any page the partner can reach moved
    for path, text in after.items():
        assert 'id="safety-resources"' not in text, path
        assert f"/results/{flagged}" not in text, path


def test_unsharing_and_unlinking_take_effect_at_once(app, couple, checkup) -> None:
    """Does the partner's page drop a check-up the moment it is un-shared or the link ends?"""
    alex, sam = couple
    mine = alex.take(checkup, levels(communication=1))
    share(alex, mine)
    assert "Your partner's check-up" in sam.client.get("/partner").get_data(as_text=True)
    share(alex, mine, "no")
    assert "Your partner's check-up" not in sam.client.get("/partner").get_data(as_text=True)
    share(alex, mine)
    alex.client.post("/partner/unlink", data={"csrf_token": alex.csrf("/partner")})
    page = sam.client.get("/partner").get_data(as_text=True)
    assert "Your partner's check-up" not in page and "You and alex" not in page
    assert shared_ids(app) == set()


def test_recent_flag_hides_every_suggestion_and_starter(app, couple, checkup) -> None:
    """After a "yes" on the safety screen, do invites, share prompts and starters step back?"""
    alex, sam = couple
    mine = alex.take(checkup, levels(communication=1))
    theirs = sam.take(checkup, levels(communication=5))
    share(sam, theirs)
    assert 'data-suggest="share"' in alex.client.get(f"/results/{mine}").get_data(as_text=True)
    share(alex, mine)
    assert "data-starter=" in alex.client.get("/partner").get_data(as_text=True)
    share(alex, mine, "no")

    flagged = alex.take(checkup, levels(communication=1), flagged=True)
    for path in (*walk(alex), f"/results/{mine}", f"/results/{flagged}"):
        text = alex.client.get(path).get_data(as_text=True)
        assert "data-suggest=" not in text, path
        assert "data-starter=" not in text, path
    folded = alex.client.get(f"/results/{mine}").get_data(as_text=True)
    switch = folded[folded.index('id="share"') :]
    assert switch.index("<details>") < switch.index('value="yes"')
    assert "(optional)" in switch
    share(alex, mine)
    assert "data-starter=" not in alex.client.get("/partner").get_data(as_text=True)
    assert "data-starter=" in sam.client.get("/partner").get_data(as_text=True)

    time_passes(app, user_id_of(app, "alex"), days=91)
    assert "data-starter=" in alex.client.get("/partner").get_data(as_text=True)


def test_recently_flagged_person_on_their_own_is_not_invited(app, alex, checkup) -> None:
    """Is a person with a recent flag never urged to invite anyone, while the option stays?"""
    calm = alex.take(checkup, levels())
    assert 'data-suggest="invite"' in alex.client.get(f"/results/{calm}").get_data(as_text=True)
    alex.take(checkup, levels(), flagged=True)
    page = alex.client.get("/partner").get_data(as_text=True)
    assert "data-suggest" not in page and "Invite your partner" not in page
    assert "(optional)" in page[page.index("<details") :]
    result = alex.client.get(f"/results/{calm}").get_data(as_text=True)
    assert 'id="share"' not in result and "data-suggest" not in result


# --- 4. the comparison ----------------------------------------------------------------------


def test_one_shared_checkup_shows_alone_without_gaps(app, couple, checkup) -> None:
    """With only one side shared, is it one trace, its date and bands, and no gap table?"""
    alex, sam = couple
    share(alex, alex.take(checkup, levels(communication=1)))
    page = sam.client.get("/partner").get_data(as_text=True)
    assert radar_of(page)["names"] == ["Your partner"]
    assert "Your partner's check-up:" in page
    assert "gap-table" not in page and SEE_SAME not in page


def test_both_shared_shows_two_traces_gaps_and_starters(app, couple, checkup, catalog) -> None:
    """Are gaps labelled by 1.96 x S_diff, with a starter for each real one that fits its side?"""
    alex, sam = couple
    share(alex, alex.take(checkup, levels(communication=2, romance=4)))
    share(sam, sam.take(checkup, levels(communication=4, romance=3)))
    page = alex.client.get("/partner").get_data(as_text=True)
    assert 'id="quick-exit"' in page
    radar = radar_of(page)
    assert radar["names"] == ["You", "Your partner"]
    assert radar["scores"][0][0] == "25.0" and radar["scores"][1][0] == "75.0"
    rows = dict(re.findall(r'data-dimension="(\w+)">.*?class="gap-label">([^<]+)<', page, re.S))
    # Two answer steps are 50 points; 1.96 x S_diff is 27.3 with the check-up's v3 norms, so
    # one step (romance, 25 points) is much the same.
    assert rows["communication"] == SEE_DIFFERENTLY
    assert rows["romance"] == SEE_SAME
    assert "-50.0" in page
    starters = re.findall(r'data-starter="(\w+)" data-direction="(\w+)">(.*?)</li>', page, re.S)
    assert [(dimension, direction) for dimension, direction, _ in starters] == [
        ("communication", "lower")
    ]
    for starter in catalog.strategies.starters("communication", "lower"):
        assert starter.text in starters[0][2]
    for starter in catalog.strategies.starters("communication", "higher"):
        assert starter.text not in page
    assert 'id="dates-apart"' not in page


def test_each_partner_gets_the_starter_for_their_side_of_the_gap(couple, checkup, catalog) -> None:
    """The one who sees it lower is asked what they need; the one who sees it higher, to listen.

    Never the reverse: the one who feels unheard is never told to listen without answering back.
    """
    alex, sam = couple
    share(alex, alex.take(checkup, levels(communication=1)))
    share(sam, sam.take(checkup, levels(communication=4)))
    shown = {}
    for person, name in ((alex, "alex"), (sam, "sam")):
        page = person.client.get("/partner").get_data(as_text=True)
        found = re.findall(
            r'data-starter="communication" data-direction="(\w+)">(.*?)</li>', page, re.S
        )
        assert len(found) == 1, name
        shown[name] = found[0]
    assert shown["alex"][0] == "lower" and shown["sam"][0] == "higher"
    assert "say what you need" in shown["alex"][1]
    assert "listen without answering back" not in shown["alex"][1].lower()
    assert "ask and listen" in shown["sam"][1]
    ids = {name: re.findall(r'data-starter-id="(\w+)"', found[1]) for name, found in shown.items()}
    assert ids["alex"] == [s.id for s in catalog.strategies.starters("communication", "lower")]
    assert ids["sam"] == [s.id for s in catalog.strategies.starters("communication", "higher")]


def test_dates_far_apart_get_a_note(app, couple, checkup) -> None:
    """Does the page say so when the two check-ups are more than 30 days apart?"""
    alex, sam = couple
    old = alex.take(checkup, levels())
    share(alex, old)
    share(sam, sam.take(checkup, levels()))
    set_created(app, old, days_ago=45)
    page = sam.client.get("/partner").get_data(as_text=True)
    assert 'id="dates-apart"' in page and "45 days apart" in page


def test_gaps_over_time_pair_checkups_within_30_days(app, couple, checkup) -> None:
    """Are only check-ups within 30 days paired, each once, at the pair's midpoint?"""
    alex, sam = couple
    a_old = alex.take(checkup, levels(communication=1))
    a_new = alex.take(checkup, levels(communication=3))
    s_old = sam.take(checkup, levels(communication=3))
    s_new = sam.take(checkup, levels(communication=3))
    for person, ids in ((alex, (a_old, a_new)), (sam, (s_old, s_new))):
        for assessment_id in ids:
            share(person, assessment_id)
    set_created(app, a_old, 100)
    set_created(app, s_old, 90)  # pairs with a_old, midpoint 95 days ago
    set_created(app, a_new, 40)
    set_created(app, s_new, 2)  # 38 days from a_new: no pair
    page = alex.client.get("/partner").get_data(as_text=True)
    trend = figures(page)["gap-trend"]
    go.Figure(trend)  # raises on anything plotly.js would not draw
    assert len(trend["data"]) == len(DIMENSIONS)
    communication = trend["data"][0]
    assert communication["name"] == "Communication"
    assert communication["y"] == [-50.0]
    with app.app_context():
        a_at = db.session.get(Assessment, a_old).created_at
        s_at = db.session.get(Assessment, s_old).created_at
    midpoint = a_at + (s_at - a_at) / 2
    assert communication["x"] == [midpoint.isoformat(timespec="seconds")]
    table = page[page.index("The differences over time: the figures") :]
    assert table.count('<th scope="row">') == 1 and "-50.0" in table


def test_partner_page_queries_stay_constant_as_history_grows(app, couple, checkup) -> None:
    """Does /partner cost the same number of SQL statements for 2 or 12 shared check-ups?"""
    alex, sam = couple

    from tests.web.test_history_list import count_statements

    for _ in range(2):
        share(alex, alex.take(checkup, levels()))
        share(sam, sam.take(checkup, levels(communication=1)))
    few = count_statements(app, alex.client, "/partner")
    for _ in range(10):
        share(alex, alex.take(checkup, levels()))
        share(sam, sam.take(checkup, levels(communication=1)))
    assert count_statements(app, alex.client, "/partner") == few


# --- 5. access, rate limit and the POST matrix ----------------------------------------------


def test_someone_not_linked_gets_404_for_anything_of_another(app, couple, checkup) -> None:
    """Can a stranger, or even the partner, open or switch another person's check-up?"""
    alex, sam = couple
    mine = alex.take(checkup, levels())
    share(alex, mine)
    casey = new_person(app, "casey")
    for other in (casey, sam):
        assert other.client.get(f"/results/{mine}").status_code == 404
        assert share(other, mine, "no").status_code == 404
        assert share(other, mine, "yes").status_code == 404
    assert shared_ids(app) == {mine}
    assert "alex" not in casey.client.get("/partner").get_data(as_text=True)


def test_guessing_tokens_is_rate_limited(tmp_path: Path, migrated_sqlite: Path) -> None:
    """Is the eleventh join attempt in a minute from one address refused with 429?"""
    database = tmp_path / "limited.sqlite3"
    database.write_bytes(migrated_sqlite.read_bytes())
    settings = settings_for(tmp_path, f"sqlite:///{database}") | {"RATELIMIT_ENABLED": True}
    app = create_app(settings)
    try:
        guesser = new_person(app, "guesser")
        codes = [guesser.client.get(f"/partner/join/guess{n:040d}").status_code for n in range(11)]
        assert codes[:10] == [404] * 10
        assert codes[10] == 429
        page = guesser.client.get("/partner/join/another-guess-0000000000").get_data(as_text=True)
        assert 'id="quick-exit"' in page
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


POST_ROUTES = ("invite", "join", "unlink", "share")


def _route(app: Flask, kind: str, alex: Person, sam: Person, checkup) -> tuple[Person, str, dict]:  # type: ignore[no-untyped-def]
    if kind == "invite":
        return alex, "/partner/invite", {}
    if kind == "join":
        return sam, invite(alex), {}
    if kind == "unlink":
        link(app, alex, sam)
        return alex, "/partner/unlink", {}
    link(app, alex, sam)
    return alex, f"/results/{alex.take(checkup, levels())}/share", {"share": "yes"}


@pytest.mark.parametrize("kind", POST_ROUTES)
def test_new_posts_refuse_missing_csrf_unknown_fields_and_big_bodies(
    app, alex, sam, checkup, kind
) -> None:
    """Does every new POST refuse a missing CSRF token, an extra field or a body over 1 MiB?"""
    who, path, fields = _route(app, kind, alex, sam, checkup)
    before = row_counts(app)
    shared_before = shared_ids(app)
    token = who.csrf("/partner")
    assert who.client.post(path, data=fields).status_code == 400
    extra = who.client.post(path, data={"csrf_token": token, **fields, "admin": "1"})
    assert extra.status_code == 400
    twice = who.client.post(path, data={"csrf_token": [token, token], **fields})
    assert twice.status_code == 400
    big = who.client.post(path, data={"csrf_token": token, **fields, "pad": "x" * (1 << 20)})
    assert big.status_code == 413
    assert row_counts(app) == before
    assert shared_ids(app) == shared_before
    assert who.client.post(path, data={"csrf_token": token, **fields}).status_code == 303


# --- 6. the demo ----------------------------------------------------------------------------


def test_demo_makes_a_linked_partner_whose_gaps_close(app, runner) -> None:
    """Does `flask demo` give demo a partner, six months of shared check-ups and closing gaps?"""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"^demo-partner password: ([A-Za-z0-9]+)$", result.output, re.M)
    assert password
    again = runner.invoke(args=["demo"])
    assert f"demo-partner password: {password.group(1)}" in again.output
    assert row_counts(app)["users"] == 2 and row_counts(app)["partner_links"] == 1
    person = Person(app.test_client())
    assert person.login("demo-partner", password.group(1)).status_code == 303
    page = person.client.get("/partner").get_data(as_text=True)
    assert "You and demo" in page
    trend = figures(page)["gap-trend"]
    times = trend["data"][0]["x"]
    assert len(times) == 6
    assert (max(times) > min(times)) and SEE_SAME in page and SEE_DIFFERENTLY in page
    closing = [
        t["name"]
        for t in trend["data"]
        if abs(t["y"][-1]) < abs(t["y"][0]) and abs(t["y"][0]) >= 20
    ]
    assert closing, "some gap closes over the six months"


# --- 8. deleting an account and exports -----------------------------------------------------


@pytest.mark.parametrize("leaver", ["inviter", "partner"])
def test_deleting_either_account_ends_the_link_and_its_invites(
    app, couple, checkup, leaver
) -> None:
    """Does deleting one account remove the link, its invites and un-share the other side?"""
    alex, sam = couple
    casey = new_person(app, "casey")
    invite(casey)
    mine, theirs = alex.take(checkup, levels()), sam.take(checkup, levels())
    share(alex, mine)
    share(sam, theirs)
    gone, stays = (alex, sam) if leaver == "inviter" else (sam, alex)
    with app.app_context():
        own_invites = db.session.scalar(
            select(func.count())
            .select_from(PartnerInvite)
            .join(User, User.id == PartnerInvite.inviter_id)
            .where(User.username == ("alex" if gone is alex else "sam"))
        )
    before = row_counts(app)
    response = gone.delete_account()
    assert response.status_code == 303
    after = row_counts(app)
    assert after["users"] == before["users"] - 1
    assert after["partner_links"] == before["partner_links"] - 1 == 0
    assert after["partner_invites"] == before["partner_invites"] - own_invites
    assert after["assessments"] == before["assessments"] - 1
    assert after["answers"] == before["answers"] - len(checkup.items)
    assert after["safety_responses"] == before["safety_responses"] - len(checkup.safety)
    assert after["dimension_scores"] == before["dimension_scores"] - len(checkup.dimensions)
    assert shared_ids(app) == set()
    assert stays.client.get("/partner").status_code == 200
    assert "Make an invitation link" in stays.client.get("/partner").get_data(as_text=True)
    assert len(stays.client.get("/export.json").get_json()["assessments"]) == 1


def test_each_export_holds_only_its_owners_data(app, couple, checkup) -> None:
    """With both sharing, does each export still hold the owner's assessments alone?"""
    alex, sam = couple
    mine, theirs = alex.take(checkup, levels()), sam.take(checkup, levels())
    share(alex, mine)
    share(sam, theirs)
    for person, own in ((alex, mine), (sam, theirs)):
        document = person.client.get("/export.json").get_json()
        assert [a["id"] for a in document["assessments"]] == [own]
        rows = person.client.get("/export.csv").get_data(as_text=True).splitlines()[1:]
        assert {row.split(",")[0] for row in rows} == {str(own)}
