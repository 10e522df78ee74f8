"""DESIGN.md §1: the layout, and imports that point one way only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ("assessment", "scoring", "questionnaires")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
# Decorators and calls that bind a hook when a module is imported; init_app(app) does it instead.
IMPORT_TIME_HOOKS = {"listens_for", "listen", "app_context_processor", "context_processor"}
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


def _app_modules() -> list[Path]:
    """Every Python module of app code: app.py and the three packages."""
    return [ROOT / "app.py", *sorted(p for d in APP_CODE for p in (ROOT / d).rglob("*.py"))]


@pytest.mark.parametrize("path", _app_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_of_app_code_is_over_300_lines(path: Path) -> None:
    """Can a newcomer read each module whole (DESIGN.md §1: small modules with one job)?"""
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_no_function_of_app_code_is_over_50_lines() -> None:
    """Is every long job split into named steps, so each function fits on a screen?"""
    long = []
    for path in _app_modules():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert not long, long


def _hook_name(node: ast.expr) -> str | None:
    """``listens_for`` of ``@event.listens_for(...)``, ``listen`` of ``event.listen(...)``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute) and node.attr in IMPORT_TIME_HOOKS:
        return node.attr
    return None


def test_no_module_registers_hooks_when_imported() -> None:
    """Are event listeners and context processors bound by init_app(app), never on import?"""
    found = []
    for path in _app_modules():
        for statement in ast.parse(path.read_text(), filename=str(path)).body:
            decorators = getattr(statement, "decorator_list", [])
            calls = [statement.value] if isinstance(statement, ast.Expr) else []
            for node in [*decorators, *calls]:
                name = _hook_name(node)
                if name:
                    found.append(f"{path.relative_to(ROOT)}:{statement.lineno} {name}")
    assert not found, found
