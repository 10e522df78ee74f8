"""The shipped nginx site, rendered onto loopback ports, and people who reach it over HTTPS."""

from __future__ import annotations

import functools
import getpass
import http.client
import http.cookiejar
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import ROOT, HttpPerson, Reply, _NoRedirect, free_port, stop

NGINX = Path(os.environ.get("NGINX_PATH", "/usr/sbin/nginx"))
SITE_TEMPLATE = ROOT / "deploy" / "nginx" / "rekindle.conf"
RENDER = ROOT / "deploy" / "render-nginx"

# Only what Debian's /etc/nginx/nginx.conf would give the site, with every path in `folder`.
MAIN_CONFIG = """\
daemon off;
user {user};
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/rekindle.conf;
}}
"""


@dataclass
class Proxy:
    """A running nginx: its HTTPS and HTTP addresses, the certificate to trust, its log."""

    https_url: str
    http_url: str
    certificate: Path
    access_log: Path
    process: subprocess.Popen[bytes]

    def tls(self) -> ssl.SSLContext:
        """A TLS context that trusts this nginx's throwaway certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and its key, valid for a day."""
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def render_site(values: Mapping[str, str]) -> str:
    """The shipped site configuration, rendered by the shipped script."""
    pairs = [f"{name}={value}" for name, value in values.items()]
    done = subprocess.run(
        [sys.executable, str(RENDER), str(SITE_TEMPLATE), *pairs],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start:\n" + log.read_text()) from None
            time.sleep(0.05)


@contextmanager
def nginx(folder: Path, upstreams: Sequence[str]) -> Iterator[Proxy]:
    """nginx in the foreground with the shipped site in front of two app hosts (host:port)."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = self_signed_certificate(folder)
    https_port, http_port = free_port(), free_port()
    access_log = folder / "access.log"
    site = render_site(
        {
            "SERVER_NAME": "127.0.0.1",
            "HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "APP_1": upstreams[0],
            "APP_2": upstreams[1],
            "CERTIFICATE": str(certificate),
            "CERTIFICATE_KEY": str(key),
            "CACHE_DIR": str(folder / "cache"),
            "ACCESS_LOG": str(access_log),
        }
    )
    (folder / "rekindle.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(MAIN_CONFIG.format(folder=folder, user=getpass.getuser()))
    error_log = folder / "error.log"
    command = [str(NGINX), "-p", str(folder), "-c", str(main), "-e", str(error_log)]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered site:\n{checked.stderr}{site}")
    with (folder / "nginx.out").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(https_port, process, error_log)
        _wait_for_port(http_port, process, error_log)
        yield Proxy(
            f"https://127.0.0.1:{https_port}",
            f"http://127.0.0.1:{http_port}",
            certificate,
            access_log,
            process,
        )
    finally:
        stop(process)


class _BoundHTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS from one loopback source address, so nginx sees a client of its own."""

    def __init__(self, context: ssl.SSLContext, source: str) -> None:
        super().__init__(context=context)
        self._tls = context
        self._source = source

    def https_open(self, req):  # type: ignore[no-untyped-def]
        connection = functools.partial(
            http.client.HTTPSConnection, source_address=(self._source, 0)
        )
        return self.do_open(connection, req, context=self._tls)


class ProxiedPerson(HttpPerson):
    """Someone reaching nginx over HTTPS from their own address, posting as a browser does.

    A browser sends the page's address as Referer on a same-origin form post (the site's
    Referrer-Policy is same-origin); the app's CSRF check over HTTPS requires it.
    """

    def __init__(self, proxy: Proxy, source: str) -> None:
        super().__init__(proxy.https_url)
        self.source = source
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirect(),
            _BoundHTTPSHandler(proxy.tls(), source),
        )

    def request(
        self,
        path: str,
        data: Mapping[str, str] | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """GET (no data) or POST a form; redirects are returned, not followed."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        extra = dict(headers or {})
        if body is not None:
            extra.setdefault("Referer", self.base_url + path)
        request = urllib.request.Request(self.base_url + path, data=body, headers=extra)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read().decode())
