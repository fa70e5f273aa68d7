"""The yearly transmission of the OLINPE base to the ONPE, composed on the roof: the package joins the
base (uploads floor) and the published annual dashboard (dashboards floor), « adressé à l'ONPE » as Loire
art. 5 says.

The package's SHA-256 is the digest of the parts in this order, each as bytes: the base as received, its
coherence report and the published dashboard's content, both as canonical JSON (sorted keys, UTF-8: a
workbook's bytes change with the time it is written, its content does not). Each part's own SHA-256 is
recorded too, so that the ONPE can check what it received part by part.
"""

import hashlib
import json
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.models import DashboardVersion
from odpe import audit, encryption
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads.olinpe.models import Transmission, YearlyBase


@transaction.atomic(durable=True)
def record_transmission(base: YearlyBase, sent_on: date, *, actor: Actor) -> Transmission:
    """Record that the year's package was sent to the ONPE. Refused (TransitionError) while the base is not
    checked or its file is gone, or while the year's dashboard is not published."""
    base = YearlyBase.objects.select_for_update().get(pk=base.pk)
    if base.status != YearlyBase.Status.CHECKED or not base.file:
        raise TransitionError(_("Only a checked base whose file is kept can be sent to the ONPE."))
    dashboard = (
        DashboardVersion.objects.filter(data_year=base.year, status=DashboardVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if dashboard is None:
        raise TransitionError(
            _("The %(year)s dashboard is not published yet: the package sent to the ONPE includes it.")
            % {"year": base.year}
        )
    received = b"".join(encryption.decrypted_chunks(base.file))
    parts = [
        ("base", received),
        ("rapport", canonical({"report": base.report, "problems": base.problems})),
        ("tableau de bord", canonical(dashboard.published_content)),
    ]
    package = hashlib.sha256()
    for _name, content in parts:
        package.update(content)
    transmission = Transmission.objects.create(
        base=base,
        sent_on=sent_on,
        package_sha256=package.hexdigest(),
        parts=[{"part": name, "sha256": hashlib.sha256(content).hexdigest()} for name, content in parts],
        sent_by=actor.user,
    )
    audit.record(
        actor,
        "olinpe.transmission_recorded",
        transmission,
        year=base.year,
        sha256=transmission.package_sha256,
    )
    return transmission


def canonical(content) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
