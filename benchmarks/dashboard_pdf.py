"""Dashboard PDF benchmark: the time WeasyPrint takes to draw a published version's PDF.

    .venv/bin/python benchmarks/dashboard_pdf.py [--indicators 20 --territories 4 --years 5 --runs 3]

Builds a snapshot in memory (each indicator with a trend, a breakdown by territory over every year and one
by sex; no database row is written) and draws its PDF `--runs` times with `dashboards.exports.make_pdf`,
as the publication's background task does. Prints each run's wall and CPU time, then the medians, the PDF's
size and pages, and the load average. Compare two versions of the code by running it on each in turn.
"""

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")


def content(indicators: int, territories: int, years: int) -> dict:
    from dashboards import snapshot

    data_year = 2023
    span = list(range(data_year - years + 1, data_year + 1))
    names = [f"Territoire {number}" for number in range(1, territories + 1)]
    aggregates = []
    for number in range(indicators):
        code = f"IND_{number}"
        for index, year in enumerate(span):
            for place, name in enumerate(names):
                aggregates.append(
                    snapshot.Aggregate(code, year, name, "", "", float(100 + 7 * place + index))
                )
            for sex, share in (("F", 0.48), ("M", 0.52)):
                aggregates.append(snapshot.Aggregate(code, year, "", sex, "", round(400 * share + index)))
    return snapshot.build_content(
        data_year=data_year,
        threshold=5,
        years=span,
        domains=[("children_in_danger", "Enfants en danger")],
        indicators=[
            snapshot.Indicator(
                code=f"IND_{number}", label=f"Indicateur {number}", domain="children_in_danger", unit="count"
            )
            for number in range(indicators)
        ],
        aggregates=aggregates,
        figure_sources={f"IND_{number}": ["source"] for number in range(indicators)},
        sources={"source": {"name": "Département de la Loire", "short_name": "CD42", "has_logo": False}},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--territories", type=int, default=4)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress lines and CSS notes
    from django.utils import translation
    from pypdf import PdfReader

    from dashboards import exports, snapshot
    from dashboards.models import DashboardVersion

    built = content(options.indicators, options.territories, options.years)
    version = DashboardVersion(data_year=2023, number=1, threshold=5, content=built)
    version.published_content = snapshot.public_view(built)
    walls, cpus = [], []
    with translation.override("fr"):
        for run in range(1, options.runs + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = exports.make_pdf(version)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            print(f"run {run}: wall {walls[-1]:.2f} s, CPU {cpus[-1]:.2f} s")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"median: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s; "
        f"{len(pdf) / 1024:.0f} KiB, {pages} pages; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
