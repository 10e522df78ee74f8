"""History and results over many check-ins (like with like, long lines thinned); plotly's 304."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from assessment.core.assets import plotly_filename
from assessment.core.models import utcnow
from tests.conftest import (
    PASSWORD,
    Person,
    figures,
    levels,
    make_assessment,
    make_user,
    radar_of,
)

# The most points a History trace shows (docs/architecture.md#charts): a phone cannot show
# more. Written out, not imported, so raising the app's cap fails this file.
HISTORY_CHART_POINTS = 120


def _signed_in(client, app, username: str) -> tuple[Person, int]:  # type: ignore[no-untyped-def]
    user_id = make_user(app, username)
    person = Person(client)
    assert person.login(username, PASSWORD).status_code == 303
    return person, user_id


def test_a_pulse_is_compared_only_with_pulses(app, client, checkup, pulse) -> None:
    """With a far higher check-up in between, is a pulse's change read against the last pulse?"""
    person, user_id = _signed_in(client, app, "robin")
    start = utcnow() - timedelta(days=30)
    make_assessment(app, user_id, pulse, levels(), created_at=start)
    make_assessment(
        app,
        user_id,
        checkup,
        levels(communication=5, romance=5),
        created_at=start + timedelta(days=10),
    )
    second = make_assessment(app, user_id, pulse, levels(), created_at=start + timedelta(days=20))

    page = person.client.get(f"/results/{second}").get_data(as_text=True)
    radar = radar_of(page)
    assert radar["names"] == ["This pulse check", "The one before"]
    assert radar["scores"][1] == ["50.0"] * 6  # the first pulse, not the check-up
    change = page[page.index('id="change-heading"') :]
    assert "reliable improvement" not in change and "reliable decline" not in change

    history = person.client.get("/history").get_data(as_text=True)
    # Two pulses: the first is also the previous, one table.
    pulse_section = history[history.index(f"Since the first {pulse.title.lower()}") :]
    assert "which is also the previous one" in pulse_section[: pulse_section.index("</caption>")]
    pulse_section = pulse_section[: pulse_section.index("</table>")]
    assert "within normal variation" in pulse_section
    assert "reliable" not in pulse_section.replace("within normal variation", "")


def test_a_long_history_is_thinned_on_the_chart_and_kept_whole_in_the_export(
    app, client, pulse
) -> None:
    """Past the chart's limit, do chart and table show the same averaged points, the CSV all?"""
    person, user_id = _signed_in(client, app, "kim")
    count = HISTORY_CHART_POINTS + 12
    start = utcnow() - timedelta(days=count)
    for day in range(count):
        level = 2 if day % 2 else 4  # alternating 25.0 / 75.0: the averages are 50.0
        make_assessment(
            app, user_id, pulse, levels(communication=level), created_at=start + timedelta(days=day)
        )

    page = person.client.get("/history").get_data(as_text=True)
    trend = {trace["name"]: trace for trace in figures(page)["trend-communication"]["data"]}
    points = trend[pulse.title]["y"]
    assert len(points) <= HISTORY_CHART_POINTS < count
    assert 50.0 in points  # buckets averaged, not every other score dropped
    panel = page[page.index('id="chart-trend-communication"') :]
    panel = panel[: panel.index("</details>")]
    assert "averaged into groups on the chart and here alike" in panel
    table_scores = re.findall(r"<tr><td\b[^>]*>[^<]+<td\b[^>]*>[^<]+<td\b[^>]*>([\d.—]+)", panel)
    assert table_scores == [f"{value:.1f}" for value in points]  # the table shows the chart

    export = person.client.get("/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export)))
    scores = [r for r in rows if r["kind"] == "score" and r["item_id"] == "communication"]
    assert len(scores) == count  # the export keeps every single score
    assert {r["value"] for r in scores} == {"25.0", "75.0"}


def test_plotly_answers_304_to_its_own_etag(client) -> None:
    """Does a browser that has plotly.js already get a 304 with no body, its ETag kept?"""
    with client.application.app_context():
        path = f"/assets/{plotly_filename()}"
    first = client.get(path)
    assert first.status_code == 200 and first.data
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get(path, headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200 and stale.data == first.data
