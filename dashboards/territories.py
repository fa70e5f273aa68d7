"""The territories' shapes the admin uploads, and the map drawing a dashboard is generated with."""

from django.db import transaction

from dashboards import maps
from dashboards.models import TerritoryShapes
from odpe import audit
from odpe.audit import Actor


@transaction.atomic(durable=True)
def record_territory_shapes(*, actor: Actor, shapes: dict[str, list], file_name: str) -> TerritoryShapes:
    """New shapes (already checked by `maps.read_shapes`) for the dashboards generated from now on."""
    upload = TerritoryShapes.objects.create(shapes=shapes, file_name=file_name, uploaded_by=actor.user)
    audit.record(actor, "territory_shapes.uploaded", upload, file_name=file_name, territories=sorted(shapes))
    return upload


def current_shapes() -> TerritoryShapes | None:
    return TerritoryShapes.objects.order_by("-uploaded_at").first()


def current_drawing() -> dict | None:
    """The latest shapes projected to SVG paths, or None (the dashboards then draw a tile map)."""
    upload = current_shapes()
    return maps.project(upload.shapes) if upload else None
