"""`python -m bench`: every benchmark section, one table, written to bench/RESULTS.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import exports, http, inprocess, lighthouse, proxy
from . import norms as norms_bench
from .report import Report

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: list[str] | None = None) -> Report:
    """Run the sections; ``--smoke`` runs them tiny (the test suite's check that they work)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds not minutes")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-proxy", action="store_true", help="no nginx section")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument(
        "--lighthouse-only", action="store_true", help="only the Lighthouse section (minutes)"
    )
    parser.add_argument(
        "--pages", default="", help="with --lighthouse-only: these pages only, e.g. result,History"
    )
    parser.add_argument(
        "--presets", default="mobile,desktop", help="with --lighthouse-only: mobile, desktop"
    )
    options = parser.parse_args(argv)
    if options.lighthouse_only:
        report = Report()
        print("Rekindle benchmarks: the Lighthouse section alone (figures, not tests)")
        chosen = lighthouse.Settings(
            presets=tuple(options.presets.split(",")),
            pages=tuple(page for page in options.pages.split(",") if page),
        )
        lighthouse.run(report, chosen)
        report.write_section(options.output, "lighthouse")
        print(f"the Lighthouse rows of {options.output} written again")
        return report

    if options.smoke:
        local = inprocess.Settings(repeats=2, history_sizes=(1, 3), partner_size=3)
        load = http.Settings(clients=2, seconds=1.0, databases=("sqlite",))
        behind = proxy.Settings(clients=2, seconds=1.0)
        norms = norms_bench.Settings(assessments=120, repeats=1)
        downloads = exports.Settings(history=20, exporters=2, seconds=1.0)
    else:
        local, load, behind = inprocess.Settings(), http.Settings(), proxy.Settings()
        norms, downloads = norms_bench.Settings(), exports.Settings()
    report = Report()
    print("Rekindle benchmarks (figures, not tests)")
    inprocess.run(report, local)
    inprocess.run_partner(report, local)
    norms_bench.run(report, norms)
    if not options.skip_http:
        from app import create_app

        checkup = create_app({"SECRET_KEY": "x"}).extensions["rekindle.catalog"].latest("checkup")
        answers = {item.id: "3" for item in checkup.items}
        http.run(report, load, answers)
        exports.run(report, downloads)
        if not options.skip_proxy:
            proxy.run(report, behind, answers)
    if not options.skip_lighthouse and not options.smoke:
        lighthouse.run(report, lighthouse.Settings())
    report.write(options.output)
    print(f"written to {options.output}")
    return report


if __name__ == "__main__":
    main()
