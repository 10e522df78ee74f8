"""Nothing either person says or types in a talk is stored or logged.

A real gunicorn (debug logging) serves a whole talk and preparing alone; every field of
every step is posted with marked text, the valid posts and the refused ones alike. Then
every column of every table, the database's own files and the server's log are searched
for the marks (docs/architecture.md#talk, #privacy).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import String, cast, column, create_engine, func, inspect, select, table

from tests.conftest import keyed_answers, levels, safety_answers
from tests.support.server import HttpPerson, gunicorn, migrate

pytestmark = pytest.mark.gunicorn

JOIN_LINK = re.compile(r'value="https?://[^"/]+(/partner/join/[A-Za-z0-9_-]+)"')
RESULT = re.compile(r"/results/(\d+)$")
TALK = re.compile(r"/talk/(\d+)$")
STRATEGY = re.compile(r'name="strategy" value="(\w+)"')


class Marks:
    """Text no page or table could hold by chance, one per field it is typed into."""

    def __init__(self) -> None:
        self.prefix = f"zqx{uuid.uuid4().hex[:10]}"
        self.used: list[str] = []

    def __call__(self, field: str) -> str:
        mark = f"{self.prefix}{field}"
        self.used.append(mark)
        return mark


def _linked_and_shared(base: str, checkup) -> tuple[HttpPerson, HttpPerson]:  # type: ignore[no-untyped-def]
    alex, sam = HttpPerson(base), HttpPerson(base)
    assert alex.register("alex").status == 303 and sam.register("sam").status == 303
    assert alex.request("/partner/invite", alex.form("/partner")).status == 303
    path = JOIN_LINK.search(alex.request("/partner").body)
    assert path
    assert sam.request(path.group(1), sam.form(path.group(1))).status == 303
    for person, level in ((alex, 2), (sam, 4)):
        answers = keyed_answers(checkup, levels(communication=level))
        reply = person.submit("checkup", {**answers, **safety_answers(checkup)})
        result = RESULT.search(reply.headers["Location"])
        assert result
        csrf = person.form("/account")["csrf_token"]
        shared = person.request(
            f"/results/{result.group(1)}/share", {"csrf_token": csrf, "share": "yes"}
        )
        assert shared.status == 303
    return alex, sam


def test_nothing_typed_in_a_talk_is_stored_or_logged(tmp_path: Path, checkup) -> None:
    """Marked text in every field of every step: found in no table, no file, no log line."""
    database = tmp_path / "talk.sqlite3"
    url = f"sqlite:///{database}"
    migrate(url, tmp_path)
    mark = Marks()
    environment = {"RATELIMIT_ENABLED": "0", "GUNICORN_CMD_ARGS": "--log-level debug"}
    with gunicorn(url, tmp_path, workers=1, environment=environment) as server:
        alex, sam = _linked_and_shared(server.url, checkup)
        csrf = {p: p.form("/account")["csrf_token"] for p in (alex, sam)}

        def send(person: HttpPerson, path: str, **fields: str) -> int:
            return person.request(path, {"csrf_token": csrf[person], **fields}).status

        asked = send(alex, "/talk", note=mark("ask"))
        assert asked == 400
        reply = alex.request("/talk", {"csrf_token": csrf[alex]})
        talk = TALK.search(reply.headers["Location"])
        assert talk
        here = f"/talk/{talk.group(1)}"
        assert send(sam, f"{here}/join", note=mark("join")) == 400
        assert send(sam, f"{here}/join") == 303

        # Step 1 and 2: Back and Next carry only ``step``.
        for step in (2, 3):
            assert send(alex, here, step=mark(f"step{step - 1}")) == 400
            assert send(alex, here, step=str(step)) == 303
        # Step 3: the area.
        assert send(alex, here, step="4", dimension=mark("dimension")) == 400
        assert send(alex, here, step=mark("step3"), dimension="communication") == 400
        assert send(alex, here, step="4", dimension="communication") == 303
        # Step 4: the speaker's sentence, shown back whole and dropped.
        words = {part: mark(part) for part in ("when", "feel", "like")}
        shown = alex.request(here, {"csrf_token": csrf[alex], "step": "4", **words})
        assert shown.status == 200
        assert all(word in shown.body for word in words.values())  # it was read and shown
        listener = {part: mark(f"sam{part}") for part in ("when", "feel", "like")}
        assert sam.request(here, {"csrf_token": csrf[sam], "step": "4", **listener}).status == 200
        assert send(alex, here, step=mark("step4"), **{k: "x" for k in words}) == 400
        assert send(alex, here, step="5") == 303
        # Step 5: the one small thing to try.
        strategy = STRATEGY.findall(alex.request(here).body)[0]
        assert send(alex, here, step="6", strategy=mark("strategy")) == 400
        assert send(alex, here, step=mark("step5"), strategy=strategy) == 400
        assert send(alex, here, step="6", strategy=strategy) == 303
        # Step 6, the proposal, the end.
        assert send(alex, here, step=mark("step6")) == 400
        assert send(sam, f"{here}/proposal", accept=mark("accept")) == 400
        assert send(sam, f"{here}/proposal", accept="yes") == 303
        assert send(alex, f"{here}/end", note=mark("end")) == 400
        assert send(alex, f"{here}/end") == 303

        # Preparing alone.
        alone = {part: mark(f"alone{part}") for part in ("when", "feel", "like")}
        assert send(alex, "/talk/prepare", dimension=mark("area"), **alone) == 400
        prepared = alex.request(
            "/talk/prepare", {"csrf_token": csrf[alex], "dimension": "romance", **alone}
        )
        assert prepared.status == 200 and all(word in prepared.body for word in alone.values())
        log = server.log.read_text()

    assert f"POST {here}" in log and "POST /talk/prepare" in log  # the log is there
    assert mark.prefix not in log, [line for line in log.splitlines() if mark.prefix in line]
    engine = create_engine(url)
    found = []
    with engine.connect() as connection:
        inspector = inspect(connection)
        for name in inspector.get_table_names():
            for described in inspector.get_columns(name):
                values = table(name, column(described["name"]))
                hits = connection.scalar(
                    select(func.count())
                    .select_from(values)
                    .where(cast(values.c[described["name"]], String).like(f"%{mark.prefix}%"))
                )
                if hits:
                    found.append((name, described["name"], hits))
    engine.dispose()
    assert found == []
    for path in tmp_path.glob("talk.sqlite3*"):  # the file, its WAL and shared memory
        assert mark.prefix.encode() not in path.read_bytes(), path.name
    assert len(mark.used) >= 20
