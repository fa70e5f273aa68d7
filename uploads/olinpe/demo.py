"""Demo OLINPE bases: three synthetic years imported by the demo referent, through the real path (kept
encrypted, checked, turned into observations of the source « Département — base OLINPE »)."""

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from odpe.accounts.access import referents
from odpe.audit import Actor
from uploads.olinpe import services
from uploads.olinpe.models import YearlyBase
from uploads.olinpe.synthetic import Settings, generate, write_csv

DEMO_YEARS = 3


def seed_olinpe(today) -> list[YearlyBase]:
    first_year = today.year - DEMO_YEARS
    generated = generate(Settings(children=4_000, years=DEMO_YEARS, first_year=first_year))
    actor = Actor(user=referents().first())
    bases = []
    with tempfile.TemporaryDirectory(prefix="olinpe-demo-") as folder:
        for year, frame in generated.bases.items():
            if YearlyBase.objects.filter(year=year).exists():
                continue
            path = Path(folder) / f"olinpe-{year}.csv"
            write_csv(frame, path)
            # The check runs as the import's task, in-process in the embedded demo.
            base = services.receive_base(year, SimpleUploadedFile(path.name, path.read_bytes()), actor=actor)
            bases.append(YearlyBase.objects.get(pk=base.pk))
    return bases
