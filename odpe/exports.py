"""The audit log as rows of a spreadsheet."""

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from odpe.models import AuditEvent


def audit_header() -> list[str]:
    return [
        _("Date and time"),
        _("Person"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Object type"),
        _("Object id"),
        _("IP address"),
        _("Details"),
    ]


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            event.actor_label,
            event.action_label,
            event.action,
            event.object_repr,
            event.object_type,
            event.object_id,
            event.ip or "",
            json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
        ]
