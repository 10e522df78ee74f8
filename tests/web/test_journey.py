"""The whole journey through Flask's test client: register, check-up, result, retake, history."""

from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import func, select

from assessment.core.extensions import db
from assessment.core.models import Answer, Assessment, DimensionScore, SafetyResponse
from tests.conftest import SPREAD, SPREAD_SCORES, figures, keyed_answers, radar_of

# The first check-up: the spread of levels whose scores are worked out by hand.
FIRST = SPREAD
FIRST_SCORES = SPREAD_SCORES
# Overall: (25 + 50 + 75 + 0 + 100 + 75) / 6 = 325 / 6 = 54.1666... -> 54.2
FIRST_OVERALL = 54.2
NO_TO_ALL = "no"


def _safety(definition, value: str = NO_TO_ALL) -> dict[str, str]:
    return {item.id: value for item in definition.safety}


def test_register_then_choose_a_questionnaire(person) -> None:
    """Can a new person register and see both questionnaires to choose from?"""
    response = person.register()
    assert response.status_code == 303
    page = person.client.get("/checkup").get_data(as_text=True)
    assert "/checkup/checkup" in page
    assert "/checkup/pulse" in page


def test_questionnaire_page_is_built_from_the_definition(member, checkup) -> None:
    """Does the form show every item, its scale, and a way to leave it only where it has one?

    "Prefer not to say" where the item is optional, "Doesn't apply to us" where it is about an
    event that may not happen; both post "na".
    """
    html = member.client.get("/checkup/checkup").get_data(as_text=True)
    for item in checkup.items:
        assert html.count(f'name="{item.id}"') == 5 + (1 if item.may_be_left else 0)
        na = f'name="{item.id}" value="na"' in html
        assert na == item.may_be_left, item.id
        if item.may_be_left:
            choice = html[html.index(f'id="{item.id}-na"') :]
            shown = choice[: choice.index("</label>")].rstrip()
            assert shown.endswith(f"<span>{escape(item.left_label(checkup.scale))}</span>"), item.id
    assert any(item.not_applicable for item in checkup.items)
    for label in checkup.scale.labels:
        assert label in html
    assert 'id="progress-bar"' in html
    assert html.count('<fieldset class="question') == len(checkup.items) + len(checkup.safety)
    last_item = html.index(f'name="{checkup.items[-1].id}"')
    for safety_item in checkup.safety:
        assert html.index(f'name="{safety_item.id}"') > last_item
    assert "Whoever runs this Rekindle server can read what is stored." in html
    for dimension in checkup.dimensions:
        assert dimension.label in html


def test_checkup_scores_match_hand_computed_values(member, checkup, app) -> None:
    """Do the stored and shown scores equal the ones worked out by hand?"""
    response = member.submit("checkup", keyed_answers(checkup, FIRST), _safety(checkup))
    assessment_id = member.result_id(response)
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(DimensionScore.dimension, DimensionScore.score).where(
                    DimensionScore.assessment_id == assessment_id
                )
            ).all()
        )
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.overall == FIRST_OVERALL
        assert assessment.safety_flag is False
        assert db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.assessment_id == assessment_id)
        ) == len(checkup.items)
        assert db.session.scalar(
            select(func.count())
            .select_from(SafetyResponse)
            .where(SafetyResponse.assessment_id == assessment_id)
        ) == len(checkup.safety)
    assert stored == FIRST_SCORES

    html = member.client.get(f"/results/{assessment_id}").get_data(as_text=True)
    # The radar is drawn on the server: every area labelled, every score written at its point.
    radar = radar_of(html)
    assert radar["labels"] == [d.label for d in checkup.dimensions]
    assert radar["scores"] == {0: [f"{FIRST_SCORES[d.id]:.1f}" for d in checkup.dimensions]}
    assert len(radar["outlines"][0]) == len(checkup.dimensions)
    assert figures(html) == {} and "plotly" not in html
    assert "54.2" in html
    assert "room to grow" in html and "strength" in html and "steady" in html
    # Focus: the two lowest that are not strengths, romance (0.0) then communication (25.0).
    focus = html[html.index('id="focus-heading"') : html.index('id="change-heading"')]
    assert focus.index("Romance") < focus.index("Communication")
    assert "Things to try for romance" in focus
    assert "Things to try for communication" in focus
    assert "Suggested because you answered" in focus
    assert "This is your first relationship check-up" in html


def test_suggestions_name_the_answer_that_triggered_them(member, checkup, catalog) -> None:
    """Is each item-triggered strategy shown with the question and answer behind it?"""
    response = member.submit("checkup", keyed_answers(checkup, FIRST), _safety(checkup))
    html = member.client.get(response.headers["Location"]).get_data(as_text=True)
    shown = re.findall(r'data-strategy="([\w]+)"', html)
    assert 1 <= len([s for s in shown if catalog.strategies.by_id(s).dimension == "romance"]) <= 3
    triggers = {
        item_id
        for s in catalog.strategies.strategies
        if s.dimension == "romance"
        for item_id in s.triggers
    }
    # Romance is answered all-1 (keyed): every romance item that triggers a strategy fired.
    romance_item = next(item for item in checkup.items_of("romance") if item.id in triggers)
    answer_label = checkup.scale.label(int(keyed_answers(checkup, FIRST)[romance_item.id]))
    assert f"“{answer_label}” to “{romance_item.text}”" in html


def test_retake_shows_change_with_reliable_change_labels(member, checkup) -> None:
    """After a retake, does the result say which changes are reliable and which are noise?"""
    member.submit("checkup", keyed_answers(checkup, FIRST), _safety(checkup))
    second = dict(FIRST, communication=4)  # 25.0 -> 75.0: delta +50, RCI 50 / 9.86 = 5.07
    response = member.submit("checkup", keyed_answers(checkup, second), _safety(checkup))
    html = member.client.get(response.headers["Location"]).get_data(as_text=True)
    change = html[html.index('id="change-heading"') :]
    row = re.search(r"<th scope=\"row\">Communication</th>(.*?)</tr>", change, re.S).group(1)
    assert "+50.0" in row and "reliable improvement" in row
    romance = re.search(r"<th scope=\"row\">Romance</th>(.*?)</tr>", change, re.S).group(1)
    # No change reads "0.0", never "+0.0" (docs/architecture.md#scoring; issue 15).
    assert 'data-label="Change">0.0<' in romance and "within normal variation" in romance
    radar = radar_of(html)
    assert set(radar["scores"]) == {0, 1}  # the previous check-up is overlaid, numbers and all
    assert radar["scores"][0][0] == "75.0" and radar["scores"][1][0] == "25.0"


def test_history_shows_trends_radar_and_changes(member, checkup, pulse) -> None:
    """Does History draw a line per dimension, first-vs-latest radar and the change tables?"""
    member.submit("checkup", keyed_answers(checkup, FIRST), _safety(checkup))
    member.submit("pulse", keyed_answers(pulse, FIRST), _safety(pulse))
    lower_stress = dict(FIRST, stress=1)  # 75.0 -> 0.0: a reliable decline
    member.submit("checkup", keyed_answers(checkup, lower_stress), _safety(checkup))
    response = member.client.get("/history")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    charts = figures(html)
    for dimension in checkup.dimensions:
        trend = charts[f"trend-{dimension.id}"]
        kinds = {trace["name"]: trace for trace in trend["data"]}
        assert set(kinds) == {checkup.title, pulse.title}
        assert kinds[checkup.title]["mode"] == "lines+markers"
        assert len(kinds[checkup.title]["y"]) == 2
        assert len(kinds[pulse.title]["y"]) == 1
        assert kinds[checkup.title]["marker"]["symbol"] != kinds[pulse.title]["marker"]["symbol"]
        assert all(re.match(r"\d{4}-\d\d-\d\dT", x) for x in kinds[checkup.title]["x"])
    assert radar_of(html)["names"] == ["Latest", "First"]
    assert "reliable decline" in html
    assert "within normal variation" in html
    assert html.count('class="data-table') >= 6 + 1  # a table beside every chart


def test_history_is_an_inviting_empty_state_at_first(member) -> None:
    """Does a new person's History answer 200 and invite the first check-up?"""
    response = member.client.get("/history")
    assert response.status_code == 200
    assert "Take your first check-up" in response.get_data(as_text=True)


def test_pages_need_a_signed_in_person(client) -> None:
    """Are check-up, result and history pages closed to someone not signed in?"""
    for path in ("/checkup", "/checkup/checkup", "/results/1", "/history", "/export.json"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_unknown_questionnaire_is_404(member) -> None:
    """Does an unknown questionnaire id answer 404?"""
    assert member.client.get("/checkup/nope").status_code == 404


def test_healthz_reports_the_database(client) -> None:
    """Does /healthz say the app, its database and its limit store (memory here) are fine?"""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "limits": "ok"}


def test_plotly_is_served_by_the_app_compressed_and_immutable(member, checkup) -> None:
    """Is plotly.js served from our own URL, gzip, cached for a year, and only named by charts?"""
    response = member.submit("checkup", keyed_answers(checkup, FIRST), _safety(checkup))
    result = member.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/assets/plotly-" not in result  # the result's radar is drawn on the server
    html = member.client.get("/history").get_data(as_text=True)
    # No script tag: the page's script adds one when a chart comes near the screen.
    assert '<script src="/assets/plotly-' not in html
    src = re.search(r'data-plotly-src="(/assets/plotly-[\w.-]+\.min\.js)"', html).group(1)
    asset = member.client.get(src, headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200
    assert asset.headers["Content-Encoding"] == "gzip"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in re.sub(r'href="https://www\.wikipedia\.org/"', "", html)
