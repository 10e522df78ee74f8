"""One table of figures, printed and written to bench/RESULTS.md with the machine's facts."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

PACKAGES = ("Flask", "SQLAlchemy", "pandas", "plotly", "gunicorn", "psycopg", "Werkzeug")


@dataclass
class Row:
    """One measured figure: what, the value, its spread, the target and whether it is met."""

    section: str
    what: str
    value: str
    spread: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


@dataclass
class Report:
    """All rows of one run."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Add a row and print it at once, so long runs show progress."""
        self.rows.append(row)
        print(f"  {row.section:<10} {row.what:<52} {row.value:>12} {row.spread:>20} {row.met}")

    def markdown(self) -> str:
        """The whole run as Markdown: header facts, then the table."""
        versions = ", ".join(f"{name} {version(name)}" for name in PACKAGES)
        lines = [
            "# Benchmark results",
            "",
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Python {platform.python_version()} on {platform.machine()},"
            f" {os.cpu_count()} cores ({platform.platform()})",
            f"- packages: {versions}",
            "- timings: median over repeated runs, [min - max] in brackets; `x bare` is the"
            " median divided by the median of a bare Flask route returning a short string,"
            " measured in the same run, so figures from noisy machines compare.",
            "",
            "| section | what | value | [min - max] | x bare | target | met |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        for r in self.rows:
            lines.append(
                f"| {r.section} | {r.what} | {r.value} | {r.spread} | {r.ratio} | {r.target}"
                f" | {r.met} |"
            )
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> None:
        """Write the Markdown table to ``path``."""
        path.write_text(self.markdown())

    def write_section(self, path: Path, prefix: str) -> None:
        """Put these rows (of the sections starting ``prefix``) in place of the rows they
        measure again in the table at ``path``, keeping every other figure, so one section,
        or one page of it, can be measured again alone. A missing file is written whole."""
        if not path.exists():
            self.write(path)
            return
        stamp_start = f"- {prefix} section measured on"
        facts, header, rows, notes, in_notes = [], [], [], [], False
        lines = path.read_text().splitlines()
        for line in lines[1:]:
            if line == "## Notes":
                in_notes = True
            elif in_notes:
                if line.startswith("- ") and not line.lower().startswith(f"- {prefix}"):
                    notes.append(line)
            elif line.startswith("| section ") or line.startswith("|---"):
                header.append(line)
            elif line.startswith("| "):
                rows.append(line)
            elif line.startswith("- ") and not line.startswith(stamp_start):
                facts.append(line)
        mine = [line for line in self.markdown().splitlines() if line.startswith(f"| {prefix}")]

        # A row measured again takes its old one's place (same section and page); new rows go
        # last; the rest stay as they were.
        def key(line: str) -> str:
            return " | ".join(line.split(" | ")[:2]).split(",")[0]

        again = {key(line): line for line in mine}
        kept = [again.pop(key(line), line) for line in rows]
        stamp = f"{stamp_start} {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        out = [lines[0], "", *facts, stamp, "", *header, *kept, *again.values()]
        if notes or self.notes:
            out += ["", "## Notes", "", *notes, *(f"- {note}" for note in self.notes)]
        path.write_text("\n".join(out) + "\n")
