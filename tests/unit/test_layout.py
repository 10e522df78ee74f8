"""DESIGN.md §1: the layout, and imports that point one way only."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {
    "flask",
    "flask_login",
    "flask_wtf",
    "flask_sqlalchemy",
    "flask_migrate",
    "sqlalchemy",
    "wtforms",
    "werkzeug",
}


def _imported_roots(package: str) -> dict[str, set[str]]:
    """Module file -> top-level names it imports."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_layout_has_every_part() -> None:
    """Are the files and folders of DESIGN.md §1 where a newcomer expects them?"""
    for name in (
        "app.py",
        "assessment",
        "questionnaires",
        "scoring",
        "templates",
        "static",
        "migrations",
        "tests",
        "requirements.txt",
        "requirements-dev.txt",
        "pyproject.toml",
        "Makefile",
        "README.md",
        ".ci/run",
        "questionnaires/loader.py",
    ):
        assert (ROOT / name).exists(), name


def test_scoring_imports_neither_flask_nor_sqlalchemy() -> None:
    """Can the scoring engine be understood and tested with pandas alone?"""
    for module, names in _imported_roots("scoring").items():
        assert not names & FRAMEWORKS, (module, names & FRAMEWORKS)
        assert "assessment" not in names, module
        assert not ({"app"} & names), module


def test_questionnaires_import_nothing_of_ours_but_themselves() -> None:
    """Do the definitions stay free of the engine and the web layer?"""
    for module, names in _imported_roots("questionnaires").items():
        assert not names & (FRAMEWORKS | {"scoring", "assessment", "app"}), module


def test_requirements_are_pinned() -> None:
    """Is every requirement pinned to one version, so a fresh machine installs what was tested?"""
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, (name, line)
