"""The project's own docs: every citation points inside the repository, at a section that exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# What is not the repository's own: git's store, environments, caches, local data.
NOT_OURS = {
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    "instance",
    "test-results",
    "tmp",
}
# Spelled in two halves, so this file does not name them itself.
OUTSIDE = ("DESIGN" + ".md", "../" + "shared")
CITATION = re.compile(r"docs/architecture\.md#([a-z0-9-]+)")


def _files() -> Iterator[Path]:
    """Every file of the repository, outside git's store, environments and caches."""
    folders = [ROOT]
    while folders:
        for path in sorted(folders.pop().iterdir()):
            if path.name in NOT_OURS:
                continue
            if path.is_dir():
                folders.append(path)
            elif path.is_file():
                yield path


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation gone, spaces as dashes."""
    anchors = set()
    for line in markdown.splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            words = re.sub(r"[^\w\- ]", "", match[1].strip().lower())
            anchors.add(words.replace(" ", "-"))
    return anchors


def test_no_file_cites_a_document_outside_the_repository() -> None:
    """Does every comment cite docs/architecture.md or the README, never a file a reader lacks?"""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files()
        for name in OUTSIDE
        if name.encode() in path.read_bytes()
    ]
    assert not found, found


def test_every_citation_names_a_section_of_the_architecture() -> None:
    """Does each ``docs/architecture.md#…`` cited in the code lead to a section of that file?"""
    anchors = _anchors(ARCHITECTURE.read_text())
    dangling = []
    for path in _files():
        if path.suffix not in {".py", ".html", ".css", ".js", ".yaml", ".md", ".mako", ""}:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            dangling += [
                f"{path.relative_to(ROOT)}:{number} #{anchor}"
                for anchor in CITATION.findall(line)
                if anchor not in anchors
            ]
    assert not dangling, dangling


def test_the_architecture_names_every_room() -> None:
    """Is each package of assessment/ described in docs/architecture.md and the README?"""
    rooms = [p.name for p in (ROOT / "assessment").iterdir() if (p / "__init__.py").is_file()]
    text = ARCHITECTURE.read_text()
    readme = (ROOT / "README.md").read_text()
    for room in rooms:
        assert f"| `{room}` |" in text, f"docs/architecture.md has no row for {room}"
        assert f"{room}/" in readme, f"README.md's 'Where things are' lacks {room}/"
