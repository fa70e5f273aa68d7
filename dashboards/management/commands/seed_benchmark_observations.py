"""Fill the data base with synthetic observations, for the dashboard benchmark (never in production).

    python manage.py seed_benchmark_observations --years 10 --partners 60 --indicators 200 --territories 50

Each partner gives every indicator for every territory and year: years × partners × indicators ×
territories observations (6 million with the defaults), inserted with PostgreSQL's COPY when available.
"""

import io
import random
import uuid
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from conventions.models import Partner
from odpe.accounts.models import User
from uploads.models import Campaign, Indicator, Observation, Submission, SubmissionVersion, TableSpec

PREFIX = "bench"


class Command(BaseCommand):
    help = "Synthetic observations for the dashboard benchmark (refused with production settings)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--last-year", type=int, default=2023)
        parser.add_argument("--partners", type=int, default=60)
        parser.add_argument("--indicators", type=int, default=200)
        parser.add_argument("--territories", type=int, default=50)

    def handle(self, *args, years, last_year, partners, indicators, territories, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to load benchmark data with production settings (DEMO_DATA_ALLOWED)."
            )
        with transaction.atomic():
            versions, indicator_ids = self.skeleton(years, last_year, partners, indicators)
            total = self.observations(
                versions, indicator_ids, [f"Territoire {n:02d}" for n in range(territories)]
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total:,} observations ({years} years, {partners} partners, {indicators} indicators, {territories} territories)."
            )
        )

    def skeleton(self, years, last_year, partners, indicators):
        """Partners, indicators, one accepted version per partner and year (observations need one)."""
        uploader, _ = User.objects.get_or_create(email=f"{PREFIX}@example.org")
        spec, _ = TableSpec.objects.get_or_create(
            code=f"{PREFIX}-table",
            defaults={"title": "Benchmark", "sheet_name": "Benchmark", "schema": {"fields": [{"name": "x"}]}},
        )
        domains = list(Indicator.Domain.values)
        indicator_ids = [
            Indicator.objects.get_or_create(
                code=f"{PREFIX}-{n:03d}",
                defaults={"label": f"Indicateur {n:03d}", "domain": domains[n % len(domains)]},
            )[0].pk
            for n in range(indicators)
        ]
        versions = []
        for year in range(last_year - years + 1, last_year + 1):
            campaign, _ = Campaign.objects.get_or_create(
                data_year=year, defaults={"opens_on": date(year + 1, 1, 15), "due_on": date(year + 1, 3, 31)}
            )
            for n in range(partners):
                partner, _ = Partner.objects.get_or_create(
                    name=f"Partenaire de test {n:02d}", defaults={"short_name": f"P{n:02d}"}
                )
                submission, _ = Submission.objects.get_or_create(
                    campaign=campaign, partner=partner, spec=spec
                )
                version, _ = SubmissionVersion.objects.get_or_create(
                    submission=submission,
                    number=1,
                    defaults={
                        "original_name": "x.xlsx",
                        "sha256": "0" * 64,
                        "size": 1,
                        "uploaded_by": uploader,
                        "attested": True,
                        "status": "accepted",
                    },
                )
                versions.append((year, partner.pk, version.pk))
        return versions, indicator_ids

    def observations(self, versions, indicator_ids, territories) -> int:
        Observation.objects.filter(version_id__in=[version for _, _, version in versions]).delete()
        rows = (
            (indicator, year, territory, random.randint(0, 40), partner, version)
            for year, partner, version in versions
            for indicator in indicator_ids
            for territory in territories
        )
        if connection.vendor == "postgresql":
            return self.copy(rows)
        batch, total = [], 0
        for indicator, year, territory, value, partner, version in rows:
            batch.append(
                Observation(
                    indicator_id=indicator,
                    data_year=year,
                    territory=territory,
                    value=value,
                    source_id=partner,
                    version_id=version,
                )
            )
            if len(batch) == 50_000:
                total += len(Observation.objects.bulk_create(batch))
                batch = []
        return total + len(Observation.objects.bulk_create(batch))

    def copy(self, rows) -> int:
        """COPY, a million rows at a time: minutes rather than hours for six million rows."""
        table = Observation._meta.db_table
        columns = "indicator_id, data_year, territory, sex, age_group, value, source_id, version_id"
        total = 0
        with connection.cursor() as cursor:
            while True:
                buffer = io.StringIO()
                count = 0
                for indicator, year, territory, value, partner, version in rows:
                    buffer.write(
                        f"{_uuid(indicator)}\t{year}\t{territory}\t\t\t{value}\t{_uuid(partner)}\t{_uuid(version)}\n"
                    )
                    count += 1
                    if count == 1_000_000:
                        break
                if not count:
                    return total
                buffer.seek(0)
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
                total += count
                if count < 1_000_000:
                    return total


def _uuid(value) -> str:
    return str(value) if isinstance(value, uuid.UUID) else str(uuid.UUID(str(value)))
