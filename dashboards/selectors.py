"""Reads: what a person may see of dashboards and consent requests."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from conventions.selectors import partners_of_correspondent
from dashboards.models import ConsentRequest, DashboardVersion
from odpe.accounts.roles import Role, has_role


def is_editor(user) -> bool:
    return has_role(user, Role.REFERENT, Role.ADMIN)


def versions_visible_to(user) -> QuerySet[DashboardVersion]:
    """Every version, drafts included: for the ODPE team only (the views check the role first)."""
    return DashboardVersion.objects.select_related("created_by", "published_by")


def get_version_for(user, pk) -> DashboardVersion:
    return get_object_or_404(versions_visible_to(user), pk=pk)


def consent_requests_visible_to(user) -> QuerySet[ConsentRequest]:
    requests = ConsentRequest.objects.select_related("version", "partner", "answered_by")
    if is_editor(user):
        return requests
    return requests.filter(partner__in=partners_of_correspondent(user))


def get_consent_request_for(user, pk) -> ConsentRequest:
    return get_object_or_404(consent_requests_visible_to(user), pk=pk)


def may_answer_for(user, request: ConsentRequest) -> bool:
    return user.has_perm("conventions.submit_partner_data", request.partner)


def sources_by_id(content: dict | None) -> dict[str, dict]:
    return {source["id"]: source for source in (content or {}).get("sources", [])}
