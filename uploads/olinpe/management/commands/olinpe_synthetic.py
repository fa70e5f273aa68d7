"""Write synthetic yearly OLINPE bases, one file per year, and print what was planted in each.

manage.py olinpe_synthetic out/ --children 10000 --years 10 --format xlsx --anomaly duplicates=12
"""

from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uploads.olinpe.synthetic import ANOMALY_KINDS, Anomalies, Settings, generate, write_csv, write_xlsx


class Command(BaseCommand):
    help = "Write seeded synthetic OLINPE bases (CSV or xlsx), with planted anomalies, one file per year."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Where to write the files (created if needed).")
        parser.add_argument("--children", type=int, default=Settings.children)
        parser.add_argument("--years", type=int, default=Settings.years)
        parser.add_argument("--first-year", type=int, default=Settings.first_year)
        parser.add_argument("--seed", type=int, default=Settings.seed)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--separator", choices=[";", ","], default=";")
        parser.add_argument("--encoding", choices=["utf-8", "latin-1"], default="utf-8")
        parser.add_argument("--quoted", action="store_true", help="Quote every CSV value.")
        parser.add_argument(
            "--anomaly",
            action="append",
            default=[],
            metavar="KIND=COUNT",
            help=f"How many of a kind to plant per year ({', '.join(ANOMALY_KINDS)}).",
        )

    def handle(self, *args, folder, anomaly, **options):
        settings = Settings(
            children=options["children"],
            years=options["years"],
            first_year=options["first_year"],
            seed=options["seed"],
            anomalies=replace(Anomalies(), **self.anomalies(anomaly)),
        )
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        generated = generate(settings)
        for year, frame in generated.bases.items():
            path = out / f"olinpe-{year}.{options['format']}"
            if options["format"] == "xlsx":
                write_xlsx(frame, path)
            else:
                write_csv(
                    frame,
                    path,
                    separator=options["separator"],
                    encoding=options["encoding"],
                    quoted=options["quoted"],
                )
            planted = ", ".join(f"{kind} {count}" for kind, count in generated.planted[year].items())
            self.stdout.write(f"{path} : {frame.height} enregistrements ; {planted}")

    def anomalies(self, given: list[str]) -> dict[str, int]:
        counts = {}
        for item in given:
            kind, _sep, count = item.partition("=")
            if kind not in ANOMALY_KINDS or not count.isdigit():
                raise CommandError(
                    _("Write KIND=COUNT, with KIND among: %(kinds)s.") % {"kinds": ", ".join(ANOMALY_KINDS)}
                )
            counts[kind] = int(count)
        return counts
