"""The house of docs/architecture.md: rooms under assessment/, and imports that point one way."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "assessment"
APP_CODE = ("assessment", "scoring", "questionnaires")
# The room every other room may use, and that may use none of them.
CORE = "core"
# Decorators and calls that bind a hook when a module is imported; init_app(app) does it instead.
IMPORT_TIME_HOOKS = {"listens_for", "listen", "app_context_processor", "context_processor"}
FRAMEWORKS = {
    "flask",
    "flask_babel",
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


# --- Rooms and the names each one exports ----------------------------------------------


def _rooms() -> list[str]:
    """Every package directly under assessment/."""
    return sorted(p.name for p in WEB.iterdir() if (p / "__init__.py").is_file())


def _module_name(path: Path) -> str:
    """``assessment/checkup/routes.py`` -> ``assessment.checkup.routes`` (a package: its name)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exported(room: str) -> set[str]:
    """The names a room's ``__init__.py`` lists in ``__all__``."""
    tree = ast.parse((WEB / room / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return set(value)
    return set()


def _room_of(module: str) -> str | None:
    """``assessment.checkup.routes`` -> ``checkup``; None outside assessment's rooms."""
    parts = module.split(".")
    if parts[0] == "assessment" and len(parts) > 1:
        return parts[1]
    return None


def _imports(path: Path) -> Iterator[tuple[int, str, list[tuple[str, str]]]]:
    """(line, absolute module, [(name, local name)]) for each import, relative ones resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, target, [(a.name, a.asname or a.name) for a in node.names]


def _web_modules() -> list[Path]:
    """app.py and every module under assessment/."""
    return [ROOT / "app.py", *sorted(WEB.rglob("*.py"))]


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def _room_uses(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(line, room, name) for each use of another room; name None for a module inside it.

    A name is what ``from ..checkup import name`` takes, or ``name`` in ``safety.name``
    after ``from .. import safety``.
    """
    own = _room_of(_module_name(path))
    as_objects: dict[str, str] = {}  # local name -> room, after ``from .. import room``
    for line, target, names in _imports(path):
        if target == "assessment":
            as_objects.update({local: name for name, local in names if name != own})
            continue
        room = _room_of(target)
        if room is None or room == own:
            continue
        if target != f"assessment.{room}" or not names:
            yield line, room, None
        for name, _ in names if target == f"assessment.{room}" else []:
            yield line, room, name
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in as_objects
        ):
            yield node.lineno, as_objects[node.value.id], node.attr


def _room_graph() -> dict[str, set[str]]:
    """Room -> the rooms it uses (app.py left out: it uses them all)."""
    graph: dict[str, set[str]] = {room: set() for room in _rooms()}
    for path in sorted(WEB.rglob("*.py")):
        own = _room_of(_module_name(path))
        if own is None:
            continue
        for _, room, _ in _room_uses(path):
            graph[own].add(room)
    return graph


def test_assessment_holds_only_packages() -> None:
    """Is every module of the web layer in a room, none loose beside them?"""
    loose = [p.name for p in WEB.glob("*.py") if p.name != "__init__.py"]
    assert not loose, loose
    folders = [
        p.name for p in WEB.iterdir() if p.is_dir() and p.name != "__pycache__" and p.name[0] != "."
    ]
    assert sorted(folders) == _rooms(), "a folder of assessment/ without __init__.py"
    assert {
        CORE,
        "account",
        "checkup",
        "history",
        "partner",
        "plans",
        "safety",
        "norms",
        "talk",
    } <= set(_rooms())


@pytest.mark.parametrize("room", _rooms())
def test_each_room_says_what_it_is_for_and_what_it_exports(room: str) -> None:
    """Does each room's __init__.py have a docstring and an __all__ of names it defines?"""
    source = (WEB / room / "__init__.py").read_text()
    tree = ast.parse(source)
    assert ast.get_docstring(tree), f"assessment/{room}/__init__.py has no docstring"
    exported = _exported(room)
    assert exported, f"assessment/{room}/__init__.py has no __all__"
    bound = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            bound |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Assign):
            bound |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
    assert exported <= bound, (room, exported - bound)
    if room != CORE:
        assert "blueprints" in exported, f"{room} exports no blueprints for app.py"


@pytest.mark.parametrize("path", _web_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_room_is_used_only_through_the_names_it_exports(path: Path) -> None:
    """Does each module use another room only by the names of its package's __all__
    (``from ..checkup import own_assessment_or_404``), never a module inside it?"""
    wrong = []
    for line, room, name in _room_uses(path):
        if name is None:
            wrong.append(f"{_where(path, line)} imports a module inside {room}")
        elif name not in _exported(room):
            wrong.append(f"{_where(path, line)} uses {room}.{name}, which {room} does not export")
    assert not wrong, wrong


def test_app_imports_rooms_only() -> None:
    """Does app.py take every room whole (its blueprints, its init_app), never a module of one?"""
    for line, target, names in _imports(ROOT / "app.py"):
        if target == "assessment":
            assert {name for name, _ in names} <= set(_rooms()), f"app.py:{line} {names}"
        else:
            assert _room_of(target) is None, f"app.py:{line} imports {target}"


def test_core_imports_no_other_room() -> None:
    """Can core be read and reused without any feature (every feature may use core)?"""
    assert not _room_graph()[CORE], _room_graph()[CORE]


def test_no_two_rooms_use_each_other_even_through_others() -> None:
    """Do the rooms' imports point one way, with no cycle between rooms?"""
    graph = _room_graph()
    state: dict[str, str] = {}  # room -> "open" while its uses are walked, then "done"

    def walk(room: str, trail: list[str]) -> None:
        state[room] = "open"
        for used in sorted(graph[room]):
            if state.get(used) == "open":
                cycle = [*trail[trail.index(used) :], room, used]
                pytest.fail("rooms in a cycle: " + " -> ".join(cycle))
            if used not in state:
                walk(used, [*trail, room])
        state[room] = "done"

    for room in sorted(graph):
        if room not in state:
            walk(room, [])


def test_rooms_use_only_what_is_below_them() -> None:
    """Does each room use only rooms below it in the house (docs/architecture.md#rooms)?"""
    allowed = {
        CORE: set(),
        "safety": {CORE},
        "norms": {CORE, "i18n"},  # the languages offered, by their own names
        "checkup": {CORE, "safety", "norms"},
        "plans": {CORE, "safety", "checkup"},
        "history": {CORE, "safety", "norms", "plans", "talk"},
        "partner": {CORE, "safety", "norms", "checkup"},
        "talk": {CORE, "safety", "norms", "checkup", "plans", "partner"},
        "account": {CORE, "safety", "checkup", "plans", "talk"},
    }
    graph = _room_graph()
    for room, used in graph.items():
        assert used <= allowed.get(room, used), (room, used - allowed.get(room, set()))


# --- The engine and the definitions ----------------------------------------------------


def test_layout_has_every_part() -> None:
    """Are the files and folders of the house where a newcomer expects them?"""
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
        "docs/architecture.md",
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


# --- Hooks are bound by init_app(app), never on import ---------------------------------


def _app_modules() -> list[Path]:
    """Every Python module of app code: app.py and the three packages."""
    return [ROOT / "app.py", *sorted(p for d in APP_CODE for p in (ROOT / d).rglob("*.py"))]


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
