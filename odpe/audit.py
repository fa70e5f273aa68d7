"""The audit log helper: every sensitive action calls `record`, inside its own transaction."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from odpe.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who does something, and from where: a signed-in person, or the platform itself."""

    user: Any = None
    ip: str | None = None

    @classmethod
    def from_request(cls, request) -> "Actor":
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=request.META.get("REMOTE_ADDR") or None)

    @classmethod
    def platform(cls) -> "Actor":
        return cls()

    @property
    def label(self) -> str:
        return self.user.email if self.user else "plateforme"


def record(actor: Actor, action: str, obj: models.Model | None = None, **details: Any) -> AuditEvent:
    # The log is kept in the observatory's language, whoever (or whatever task) writes it.
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = str(obj)[:300] if obj is not None else ""
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=object_repr,
        ip=actor.ip,
        details=details,
    )
