"""Demo documents library: two documents online (the observatory's own report, the hospital's activity
report) and one the CAF shared that waits for the referent. They go through the real path — shared,
type checked from the bytes, validated — so the library, its queue and the audit log look as in use.
And the shapes of the four Loire territories, for the dashboards' map."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from conventions.demo import partner_named
from dashboards import documents, maps, territories
from dashboards.models import Document, TerritoryShapes
from odpe.accounts.models import User
from odpe.audit import Actor
from uploads.demo import REVIEWER


@dataclass(frozen=True)
class DemoDocument:
    title: str
    summary: str
    sender: str
    partner: str | None
    online: bool


DEMO_DOCUMENTS = [
    DemoDocument(
        "Rapport annuel de l'ODPE de la Loire",
        "Les chiffres de l'année, les travaux de l'observatoire et ses recommandations.",
        REVIEWER,
        None,
        online=True,
    ),
    DemoDocument(
        "Bilan d'activité de l'UAPED",
        "Enfants accueillis à l'unité d'accueil pédiatrique enfants en danger, par tranche d'âge et motif.",
        "correspondant.chu@odpe-demo.fr",
        "Le Centre Hospitalier Universitaire de Saint-Etienne",
        online=True,
    ),
    DemoDocument(
        "Note sur les familles monoparentales allocataires",
        "Évolution sur cinq ans et répartition par territoire.",
        "correspondant.caf@odpe-demo.fr",
        "La Caisse d'Allocations Familiales de la Loire",
        online=False,
    ),
]


def demo_pdf(title: str, summary: str) -> bytes:
    from weasyprint import HTML  # imported when a PDF is made: it loads pango

    html = f"<h1>{escape(title)}</h1><p>{escape(summary)}</p><p>Document de démonstration.</p>"
    return HTML(string=html).write_pdf()


def seed_documents(today: date) -> None:
    """Safe to run again: a document already in the library is not shared twice."""
    referent = Actor(user=User.objects.get(email=REVIEWER))
    for demo in DEMO_DOCUMENTS:
        title = f"{demo.title} {today.year - 1}"
        if Document.objects.filter(title=title).exists():
            continue
        document = documents.share_document(
            actor=Actor(user=User.objects.get(email=demo.sender)),
            partner=partner_named(demo.partner) if demo.partner else None,
            title=title,
            summary=demo.summary,
            published_on=today,
            uploaded_file=SimpleUploadedFile(f"{title}.pdf", demo_pdf(title, demo.summary)),
        )
        if demo.online:
            documents.validate_document(document, actor=referent)


# Rough polygons the project drew around the four territories of the Loire's social action (Roannais,
# Forez, Saint-Étienne, Gier-Ondaine-Pilat): recognisable, not surveyed. A Département uploads its own.
DEMO_SHAPES = Path(__file__).with_name("demo_territories.geojson")
ADMIN = "admin@odpe-demo.fr"


def seed_territory_shapes() -> None:
    """Safe to run again: shapes already uploaded are kept."""
    if TerritoryShapes.objects.exists():
        return
    territories.record_territory_shapes(
        actor=Actor(user=User.objects.get(email=ADMIN)),
        shapes=maps.read_shapes(DEMO_SHAPES.read_bytes()),
        file_name=DEMO_SHAPES.name,
    )
