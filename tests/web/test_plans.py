"""Follow-through: "I'll try this", asked about next time, shown beside what moved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from assessment.core.extensions import db
from assessment.core.models import Assessment, DimensionScore, Plan, PlanCheckin, PlanStatus
from scoring import order_candidates, score_assessment
from scoring.strategies import triggers_for
from tests.conftest import Person, figures, keyed_answers, row_counts

# Communication and emotional needs lowest: they are the focus, with strategies to try.
LOW_TALK = {
    "communication": 1,
    "emotional_needs": 2,
    "stress": 4,
    "romance": 4,
    "intimacy": 4,
    "support": 4,
}


def _offered(html: str) -> list[str]:
    return re.findall(r'data-strategy="(\w+)"', html)


def _result(member: Person, checkup, safety=None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    response = member.submit("checkup", keyed_answers(checkup, LOW_TALK), safety)
    assessment_id = member.result_id(response)
    return assessment_id, member.client.get(f"/results/{assessment_id}").get_data(as_text=True)


def _choose(member: Person, assessment_id: int, strategy_id: str):  # type: ignore[no-untyped-def]
    return member.choose_plan(assessment_id, strategy_id)


def _planned(member: Person, checkup, app) -> tuple[int, str, int]:  # type: ignore[no-untyped-def]
    """A result, and a plan chosen from its first suggestion: (result id, its page, plan id)."""
    assessment_id, html = _result(member, checkup)
    assert _choose(member, assessment_id, _offered(html)[0]).status_code == 303
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).order_by(Plan.id.desc()))
    return assessment_id, html, plan_id


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_ill_try_this_is_idempotent_and_only_for_offered_strategies(member, checkup, app) -> None:
    """Same choice twice is one plan; a strategy the result did not offer is a 400."""
    assessment_id, html = _result(member, checkup)
    offered = _offered(html)
    assert "I'll try this" in html or "I&#39;ll try this" in html
    first = _choose(member, assessment_id, offered[0])
    again = _choose(member, assessment_id, offered[0])
    assert first.status_code == again.status_code == 303
    assert _count(app, Plan) == 1
    not_offered = next(
        s.id
        for s in app.extensions["rekindle.catalog"].strategies.strategies
        if s.id not in offered
    )
    assert _choose(member, assessment_id, not_offered).status_code == 400
    assert _count(app, Plan) == 1
    page = member.client.get(f"/results/{assessment_id}").get_data(as_text=True)
    assert "You are trying this." in page


def test_a_fourth_plan_is_409_with_a_way_to_let_one_go(member, checkup, app) -> None:
    """At most three at once: the fourth answers 409 and offers to let one go."""
    assessment_id, html = _result(member, checkup)
    offered = _offered(html)
    assert len(offered) >= 4
    for strategy_id in offered[:3]:
        assert _choose(member, assessment_id, strategy_id).status_code == 303
    full = _choose(member, assessment_id, offered[3])
    assert full.status_code == 409
    page = full.get_data(as_text=True)
    assert "let one go" in page and "/drop" in page
    assert _count(app, Plan) == 3
    plan_id = int(re.search(r"/plans/(\d+)/drop", page).group(1))
    dropped = member.client.post(
        f"/plans/{plan_id}/drop", data={"csrf_token": member.csrf("/account")}
    )
    assert dropped.status_code == 303
    assert _choose(member, assessment_id, offered[3]).status_code == 303


def test_someone_elses_plan_and_result_are_404(member, checkup, app) -> None:
    """Another person's plan id or result id answers 404, and nothing changes."""
    assessment_id, html, plan_id = _planned(member, checkup, app)
    member.logout()
    member.register("other")
    before = row_counts(app)
    token = member.csrf("/account")
    assert (
        member.client.post(f"/plans/{plan_id}/drop", data={"csrf_token": token}).status_code == 404
    )
    assert _choose(member, assessment_id, _offered(html)[0]).status_code == 404
    assert row_counts(app) == before


def test_next_questionnaire_asks_about_each_active_plan(member, checkup, pulse, catalog) -> None:
    """The pulse opens with an optional section naming the strategy being tried."""
    assessment_id, html = _result(member, checkup)
    strategy_id = _offered(html)[0]
    _choose(member, assessment_id, strategy_id)
    page = member.client.get("/checkup/pulse").get_data(as_text=True)
    title = catalog.strategies.by_id(strategy_id).title
    assert f"Did you try “{title}”?" in page
    for value in ("yes", "partly", "no"):
        assert re.search(rf'name="plan_\d+_tried" value="{value}"', page)
    for value in ("yes", "unsure", "no"):
        assert re.search(rf'name="plan_\d+_helped" value="{value}"', page)
    assert page.index('id="plans-heading"') < page.index('id="section-communication"')


def test_checkins_are_stored_with_the_assessment_and_never_scored(
    member, checkup, pulse, app
) -> None:
    """Scores are the same with and without a check-in; yes closes the plan, no keeps it."""
    plan_id = _planned(member, checkup, app)[2]
    answers = keyed_answers(pulse, LOW_TALK)
    kept = member.submit("pulse", answers, extra={f"plan_{plan_id}_tried": "no"})
    without = member.result_id(kept)
    with app.app_context():
        assert db.session.get(Plan, plan_id).status == PlanStatus.ACTIVE
    closed = member.submit(
        "pulse",
        answers,
        extra={f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_helped": "yes"},
    )
    with_checkin = member.result_id(closed)
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert plan.status == PlanStatus.CLOSED
        checkins = db.session.scalars(select(PlanCheckin).order_by(PlanCheckin.id)).all()
        assert [(c.assessment_id, c.tried, c.helped) for c in checkins] == [
            (without, "no", None),
            (with_checkin, "yes", "yes"),
        ]

        def scores(assessment_id: int) -> dict[str, float | None]:
            rows = db.session.execute(
                select(DimensionScore.dimension, DimensionScore.score).where(
                    DimensionScore.assessment_id == assessment_id
                )
            )
            return dict(rows.all())

        assert scores(without) == scores(with_checkin)
        assert (
            db.session.get(Assessment, without).overall
            == db.session.get(Assessment, with_checkin).overall
        )


def test_helped_is_ignored_when_not_tried(member, checkup, pulse, app) -> None:
    """With JavaScript off both questions show; "helped" counts only for a tried plan."""
    plan_id = _planned(member, checkup, app)[2]
    member.submit(
        "pulse",
        keyed_answers(pulse, LOW_TALK),
        extra={f"plan_{plan_id}_tried": "no", f"plan_{plan_id}_helped": "no"},
    )
    with app.app_context():
        checkin = db.session.scalar(select(PlanCheckin))
        assert (checkin.tried, checkin.helped) == ("no", None)


def test_bad_plan_fields_are_400_and_store_nothing(member, checkup, pulse, app) -> None:
    """Another plan id, or a value outside the lists, is a 400 and nothing is stored."""
    plan_id = _planned(member, checkup, app)[2]
    answers = keyed_answers(pulse, LOW_TALK)
    before = row_counts(app)
    unknown = member.submit("pulse", answers, extra={f"plan_{plan_id + 99}_tried": "yes"})
    assert unknown.status_code == 400
    wrong_value = member.submit("pulse", answers, extra={f"plan_{plan_id}_tried": "maybe"})
    assert wrong_value.status_code == 400
    assert "nothing was saved" in wrong_value.get_data(as_text=True)
    assert row_counts(app) == before


def test_fields_of_a_closed_plan_are_ignored(member, checkup, pulse, app) -> None:
    """A stale form naming a plan already closed stores the assessment and ignores it."""
    plan_id = _planned(member, checkup, app)[2]
    answers = keyed_answers(pulse, LOW_TALK)
    stale_form = member.open_form("pulse")
    member.submit("pulse", answers, extra={f"plan_{plan_id}_tried": "yes"})
    late = member.submit(
        "pulse", answers, extra={f"plan_{plan_id}_tried": "partly"}, hidden=stale_form
    )
    assert late.status_code == 303
    assert _count(app, PlanCheckin) == 1


def test_double_submit_with_a_checkin_leads_to_the_stored_result(
    member, checkup, pulse, app
) -> None:
    """The token is checked first: the replay of a closing check-in still finds its result."""
    plan_id = _planned(member, checkup, app)[2]
    hidden = member.open_form("pulse")
    extra = {f"plan_{plan_id}_tried": "yes"}
    first = member.submit("pulse", keyed_answers(pulse, LOW_TALK), extra=extra, hidden=hidden)
    second = member.submit("pulse", keyed_answers(pulse, LOW_TALK), extra=extra, hidden=hidden)
    assert second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app, PlanCheckin) == 1


def test_result_shows_what_was_said_and_ranks_unhelpful_last(member, checkup, app) -> None:
    """After "it did not help", the next result says so and offers that strategy last."""
    assessment_id, html = _result(member, checkup)
    offered = _offered(html)
    _choose(member, assessment_id, offered[0])
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id))
    response = member.submit(
        "checkup",
        keyed_answers(checkup, LOW_TALK),
        extra={f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_helped": "no"},
    )
    page = member.client.get(response.headers["Location"]).get_data(as_text=True)
    again = _offered(page)
    library = app.extensions["rekindle.catalog"].strategies
    dimension = library.by_id(offered[0]).dimension
    # Ranked last among every candidate of its dimension, where before it came first ...
    answers = {k: int(v) for k, v in keyed_answers(checkup, LOW_TALK).items()}
    candidates = [s for s in library.strategies if s.dimension == dimension]
    triggered = {s.id: triggers_for(s, checkup, answers) for s in candidates}
    ranked = order_candidates(candidates, triggered, frozenset({offered[0]}))
    assert ranked[-1].id == offered[0]
    assert order_candidates(candidates, triggered, frozenset())[0].id == offered[0]
    # ... and the page offers exactly what that ranking keeps (three per dimension at most).
    safety = {item.id: "no" for item in checkup.safety}
    expected = score_assessment(
        checkup, library, answers, safety, unhelpful=frozenset({offered[0]})
    ).suggestions
    assert again == [suggestion.strategy_id for suggestion in expected]
    assert again != offered
    shown_again = offered[0] in again
    assert shown_again == (len(candidates) <= 3)
    assert ("You tried this before" in page) == shown_again
    old = member.client.get(f"/results/{assessment_id}").get_data(as_text=True)
    assert _offered(old) == offered  # an old result page never changes what it offered
    assert "You tried this before" in old


def test_history_shows_plan_markers_and_what_you_tried(member, checkup, app) -> None:
    """History stars the plan on its dimension's line and tables what changed alongside."""
    assessment_id, html = _result(member, checkup)
    strategy_id = _offered(html)[0]
    strategy = app.extensions["rekindle.catalog"].strategies.by_id(strategy_id)
    _choose(member, assessment_id, strategy_id)
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id))
    better = dict(LOW_TALK, communication=4, emotional_needs=4)  # 0 -> 75 / 25 -> 75
    member.submit(
        "checkup",
        keyed_answers(checkup, better),
        extra={f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_helped": "yes"},
    )
    page = member.client.get("/history").get_data(as_text=True)
    tried = page[page.index('id="tried-heading"') :]
    tried = tried[: tried.index("</table>")]
    assert strategy.title in tried
    assert "reliable improvement" in tried
    trend = figures(page)[f"trend-{strategy.dimension}"]
    traces = {trace["name"]: trace for trace in trend["data"]}
    stars = traces["Plans"]
    line = traces[checkup.title]
    before = {"communication": 0.0, "emotional_needs": 25.0}[strategy.dimension]
    # A star where it was chosen (the first check-up) and where it was reported (the second),
    # each at the dimension's score on its line, not at the top or bottom of the chart.
    assert stars["y"] == [before, 75.0] == line["y"]
    assert [moment[:16] for moment in stars["x"]] == [moment[:16] for moment in line["x"]]
    assert stars["text"][0] == f"Chose to try: {strategy.title}"
    assert stars["text"][1].startswith(f"Said how it went: {strategy.title}")


def test_export_holds_plans_and_delete_removes_them(member, checkup, pulse, app) -> None:
    """The export carries plans and check-ins; deleting the account removes every one."""
    plan_id = _planned(member, checkup, app)[2]
    member.submit("pulse", keyed_answers(pulse, LOW_TALK), extra={f"plan_{plan_id}_tried": "yes"})
    document = member.client.get("/export.json").get_json()
    assert document["plans"][0]["checkins"][0]["tried"] == "yes"
    assert "plan_checkin" in member.client.get("/export.csv").get_data(as_text=True)
    response = member.delete_account()
    assert response.status_code == 303
    assert _count(app, Plan) == 0
    assert _count(app, PlanCheckin) == 0


def test_demo_has_plans_with_checkins(runner, app) -> None:
    """The demo account shows follow-through at first sight."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert _count(app, Plan) >= 3
        assert _count(app, PlanCheckin) >= 2
        statuses = set(db.session.scalars(select(Plan.status)))
    assert {PlanStatus.ACTIVE, PlanStatus.CLOSED} <= statuses


@pytest.mark.parametrize(
    ("assessment_id", "status"),
    [
        ("", 400),
        ("abc", 400),
        ("²", 400),  # a digit to str.isdigit, not to int()
        ("-1", 400),
        ("1.0", 400),
        ("9" * 30, 400),  # would overflow a PostgreSQL integer
        ("987654", 404),  # well formed, but nobody's result
    ],
)
def test_plans_with_a_non_numeric_or_unknown_id_store_nothing(
    member, checkup, app, assessment_id, status
) -> None:
    """Is a choice naming a malformed id a 400, an unknown one a 404, never a 500 or a plan?"""
    real_id, html = _result(member, checkup)
    before = row_counts(app)
    response = member.choose_plan(assessment_id, _offered(html)[0])
    assert response.status_code == status
    assert row_counts(app) == before
    assert _count(app, Plan) == 0
    assert real_id != 987654


def test_a_plan_that_helped_can_be_kept_going(member, checkup, pulse, app) -> None:
    """Tried, helped, "keep trying it": the plan stays on the list and is asked about again."""
    plan_id = _planned(member, checkup, app)[2]
    form = member.client.get("/checkup/pulse").get_data(as_text=True)
    assert f'name="plan_{plan_id}_keep" value="yes"' in form  # a checkbox, unticked
    answers = keyed_answers(pulse, LOW_TALK)
    said = {
        f"plan_{plan_id}_tried": "yes",
        f"plan_{plan_id}_helped": "yes",
        f"plan_{plan_id}_keep": "yes",
    }
    first = member.result_id(member.submit("pulse", answers, extra=said))
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert plan.status == PlanStatus.ACTIVE and plan.closed_at is None
        checkin = db.session.scalars(select(PlanCheckin)).one()
        assert (checkin.assessment_id, checkin.tried, checkin.helped) == (first, "yes", "yes")
    # Asked about again next time; this time it closes, as a tried plan does without "keep".
    again = member.client.get("/checkup/pulse").get_data(as_text=True)
    assert f'name="plan_{plan_id}_tried"' in again
    said.pop(f"plan_{plan_id}_keep")
    member.result_id(member.submit("pulse", answers, extra=said))
    with app.app_context():
        assert db.session.get(Plan, plan_id).status == PlanStatus.CLOSED


def test_keep_takes_only_yes_and_only_counts_for_a_tried_plan(member, checkup, pulse, app) -> None:
    """Any other value is a 400 and nothing is stored; "keep" with "not yet" keeps it anyway."""
    plan_id = _planned(member, checkup, app)[2]
    answers = keyed_answers(pulse, LOW_TALK)
    before = row_counts(app)
    odd = member.submit(
        "pulse", answers, extra={f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_keep": "no"}
    )
    assert odd.status_code == 400 and row_counts(app) == before
    not_yet = {f"plan_{plan_id}_tried": "no", f"plan_{plan_id}_keep": "yes"}
    member.result_id(member.submit("pulse", answers, extra=not_yet))
    with app.app_context():
        assert db.session.get(Plan, plan_id).status == PlanStatus.ACTIVE
