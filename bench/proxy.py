"""Through the shipped nginx (HTTPS) with two app hosts, against one host direct, in one run.

The result page under the same load both ways, on one PostgreSQL schema: requests per
second, latency percentiles, and the ratio. Both hosts share this machine's cores, so the
figure is what nginx and TLS cost here, not what a second machine would add.
`python -m bench.proxy` runs this section alone; `python -m bench` runs it with the rest.
"""

from __future__ import annotations

import argparse
import http.client
import ssl
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from tests.support.proxy import NGINX, nginx

from .http import Client, Load, _database, _gunicorn, _load
from .report import Report, Row
from .timing import percentile

SECTION = "http nginx"


@dataclass
class Settings:
    """Load shape: clients and seconds per measurement."""

    clients: int = 20
    seconds: float = 30.0


class KeptClient(Client):
    """A signed-in person on one kept-open HTTPS connection, as a browser does."""

    def __init__(self, address: str, tls: ssl.SSLContext, cookie: str) -> None:
        super().__init__(address)
        self.tls = tls
        self.kept_cookie = cookie
        self.connection: http.client.HTTPSConnection | None = None

    def request(self, method: str, path: str, body: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        """One request, reconnecting once if nginx closed the kept connection."""
        headers = {"Cookie": self.kept_cookie}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=30, context=self.tls
                )
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                return response.status, response, response.read().decode()
            except (OSError, http.client.HTTPException) as problem:
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise OSError(str(problem)) from problem
        raise AssertionError("unreachable")


def _figures(load: Load) -> tuple[float, float, float, float]:
    rate = len(load.latencies) / load.seconds if load.seconds else 0.0
    p50, p95, p99 = (percentile(load.latencies, q) for q in (0.5, 0.95, 0.99))
    return rate, p50, p95, p99


def _rows(report: Report, what: str, load: Load) -> tuple[float, float]:
    rate, p50, p95, p99 = _figures(load)
    report.add(Row(SECTION, f"{what}: requests/s", f"{rate:.0f}"))
    report.add(Row(SECTION, f"{what}: p50 / p95 / p99", f"{p50:.0f} / {p95:.0f} / {p99:.0f} ms"))
    report.add(Row(SECTION, f"{what}: errors", f"{load.errors} of {len(load.latencies)}"))
    return rate, p95


def run(report: Report, settings: Settings, checkup_answers: dict[str, str]) -> None:
    """The result page: one host direct, then nginx with two hosts, same people, same pages."""
    if not NGINX.exists():
        report.notes.append(
            f"{SECTION}: not measured, nginx is not at {NGINX} (scripts/ensure-nginx)"
        )
        print(f"  {SECTION}: skipped, no nginx at {NGINX}")
        return
    with tempfile.TemporaryDirectory() as name, _database("postgresql", Path(name)) as url:
        folder = Path(name)
        for host in ("a", "b"):
            (folder / host).mkdir()
        with _gunicorn(url, folder / "a", "127.0.0.2") as first:
            clients = [Client(first) for _ in range(settings.clients)]
            paths: dict[int, str] = {}
            for index, client in enumerate(clients):
                client.register(f"proxy{index}")
                status, location = client.submit(checkup_answers)
                assert status == 303, status
                paths[index] = urllib.parse.urlsplit(location).path
            by_client = {id(client): paths[i] for i, client in enumerate(clients)}

            def read_result(client: Client) -> bool:
                return client.request("GET", by_client[id(client)])[0] == 200

            what = f"result page, {settings.clients} clients"
            direct = _load(clients, read_result, settings.seconds)
            direct_rate, direct_p95 = _rows(report, f"{what}, one host direct", direct)

            with (
                _gunicorn(url, folder / "b", "127.0.0.3") as second,
                nginx(folder / "nginx", [first, second]) as proxy,
            ):
                address = urllib.parse.urlsplit(proxy.https_url).netloc
                kept = [KeptClient(address, proxy.tls(), c.cookie) for c in clients]
                for index, client in enumerate(kept):
                    by_client[id(client)] = paths[index]
                    assert read_result(client), "signed in through nginx too"
                through = _load(kept, read_result, settings.seconds)
                proxy_what = f"{what}, nginx (HTTPS) + two hosts"
                proxy_rate, proxy_p95 = _rows(report, proxy_what, through)
                for client in kept:
                    if client.connection is not None:
                        client.connection.close()
    rate_ratio = proxy_rate / direct_rate if direct_rate else float("nan")
    p95_ratio = proxy_p95 / direct_p95 if direct_p95 else float("nan")
    report.add(
        Row(
            SECTION,
            "nginx + two hosts / one host direct: requests/s, p95",
            f"x {rate_ratio:.2f}, x {p95_ratio:.2f}",
        )
    )


def main(argv: list[str] | None = None) -> Report:
    """This section alone: prints its rows (the full `python -m bench` writes RESULTS.md)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=Settings().clients)
    parser.add_argument("--seconds", type=float, default=Settings().seconds)
    options = parser.parse_args(argv)
    from app import create_app

    checkup = create_app({"SECRET_KEY": "x"}).extensions["rekindle.catalog"].latest("checkup")
    report = Report()
    print("Rekindle benchmarks: through nginx (figures, not tests)")
    run(report, Settings(options.clients, options.seconds), {i.id: "3" for i in checkup.items})
    for note in report.notes:
        print(f"  note: {note}")
    return report


if __name__ == "__main__":
    main()
