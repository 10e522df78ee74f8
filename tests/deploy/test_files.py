"""deploy/ agrees with the app: every setting named, the unit valid, the template whole."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.core import settings
from tests.support.proxy import RENDER, SITE_TEMPLATE

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENT_FILE = ROOT / "deploy" / "rekindle.env"
UNIT = ROOT / "deploy" / "systemd" / "rekindle.service"
READ_FROM_ENVIRONMENT = re.compile(r"""environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")


def settings_the_app_reads() -> set[str]:
    """Every environment variable the app reads at start-up."""
    names = set(settings._ENVIRONMENT_KEYS)
    for source in (ROOT / "assessment" / "core" / "settings.py", ROOT / "app.py"):
        names |= set(READ_FROM_ENVIRONMENT.findall(source.read_text()))
    return names


def named_in_environment_file() -> set[str]:
    """Settings the example environment sets, or shows commented out."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENVIRONMENT_FILE.read_text(), re.M))


def test_the_environment_file_names_every_setting() -> None:
    """A new setting in the app without a line in deploy/rekindle.env fails here."""
    missing = settings_the_app_reads() - named_in_environment_file()
    assert not missing, f"deploy/rekindle.env does not mention {sorted(missing)}"
    for name in ("TRUSTED_PROXIES", "SESSION_COOKIE_SECURE", "DATABASE_URL", "WORKERS"):
        assert name in named_in_environment_file()


def test_the_unit_uses_only_what_the_environment_file_sets() -> None:
    """Each ${NAME} on the unit's command line has a value in the environment file."""
    used = set(re.findall(r"\$\{([A-Z_]+)\}", UNIT.read_text()))
    assert used, "the unit takes its address and processes from the environment"
    assert used <= named_in_environment_file()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """systemd-analyze finds no unknown key or bad value (paths pointed at what exists here)."""
    unit = tmp_path / "rekindle.service"
    text = UNIT.read_text().replace("/srv/rekindle/.venv/bin/gunicorn", "/bin/true")
    unit.write_text(re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M))
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "rekindle.service" not in checked.stderr, checked.stderr


def test_nginx_accepts_no_more_than_the_app() -> None:
    """client_max_body_size says the same 1 MiB as the app's own limit."""
    size = re.search(r"^\s*client_max_body_size (\d+)m;", SITE_TEMPLATE.read_text(), re.M)
    assert size, "the site sets client_max_body_size in megabytes"
    assert int(size.group(1)) * 1024 * 1024 == settings.MAX_BODY_BYTES


def render(*pairs: str) -> subprocess.CompletedProcess[str]:
    """Run the shipped render script on the shipped template."""
    return subprocess.run(
        [sys.executable, str(RENDER), str(SITE_TEMPLATE), *pairs], capture_output=True, text=True
    )


COMPLETE = [
    "SERVER_NAME=checkup.example.org",
    "HTTP_LISTEN=80",
    "HTTPS_LISTEN=443",
    "APP_1=10.0.0.11:8000",
    "APP_2=10.0.0.12:8000",
    "CERTIFICATE=/etc/ssl/rekindle.pem",
    "CERTIFICATE_KEY=/etc/ssl/rekindle.key",
    "CACHE_DIR=/var/cache/nginx/rekindle",
    "ACCESS_LOG=/var/log/nginx/rekindle.access.log",
]


def test_rendering_fills_every_placeholder() -> None:
    """With every value given, no placeholder is left and the values are in place."""
    done = render(*COMPLETE)
    assert done.returncode == 0, done.stderr
    assert "{{" not in done.stdout
    assert "server 10.0.0.12:8000 max_fails=1" in done.stdout


@pytest.mark.parametrize(
    ("pairs", "complaint"),
    [
        (COMPLETE[1:], "missing: SERVER_NAME"),
        ([*COMPLETE, "APP_3=10.0.0.13:8000"], "not in the template: APP_3"),
        ([*COMPLETE[:-1], "ACCESS_LOG=/tmp/x; include /etc/passwd"], "would break"),
    ],
)
def test_rendering_refuses_a_missing_unknown_or_unsafe_value(pairs, complaint) -> None:  # type: ignore[no-untyped-def]
    """A half-filled configuration is never written: the script says what is wrong."""
    done = render(*pairs)
    assert done.returncode == 1
    assert done.stdout == ""
    assert complaint in done.stderr
