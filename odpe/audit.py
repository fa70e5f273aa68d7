"""The audit log helper: every sensitive action calls `record`, inside its own transaction.

Action codes get their French label in `odpe.models.ACTION_LABELS`. An event that concerns a
partner either has the partner as its object or carries `**about_partner(partner)` in its
details: the security-incident page (odpe.roof.views.audit_log) finds a partner's events that way.
Never put a secret (password, invitation token) in the details.
"""

import ipaddress
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.utils import translation

from odpe.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who does something, and from where: a signed-in person, a visitor without an account (a public
    download), or the platform itself."""

    user: Any = None
    ip: str | None = None
    visitor: bool = False

    @classmethod
    def from_request(cls, request) -> "Actor":
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request), visitor=user is None)

    @classmethod
    def platform(cls) -> "Actor":
        return cls()

    @property
    def label(self) -> str:
        if self.user:
            return self.user.email
        return "visiteur anonyme" if self.visitor else "plateforme"


def client_ip(request) -> str | None:
    """The person's address as the rate limits see it (X-Forwarded-For behind TRUSTED_PROXY_COUNT
    proxies, else the connection's), or None rather than a value the log could not store."""
    try:
        return str(ipaddress.ip_address(get_adapter(request).get_client_ip(request).strip()))
    except (PermissionDenied, ImproperlyConfigured, ValueError, AttributeError):
        return None


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


def forget_ip_addresses(before) -> int:
    """Empty the IP address of the events older than `before` (retention); the rest of each row stays."""
    return AuditEvent.objects.filter(at__lt=before).forget_ip_addresses()


def about_partner(partner) -> dict[str, str]:
    """Details that tie an event to a partner: its name to read, its id to filter on."""
    return {"partner": partner.name, "partner_id": str(partner.pk)}
