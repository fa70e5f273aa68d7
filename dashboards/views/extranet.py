"""The extranet's home for the members of the observatory's bodies (and the ODPE team)."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dashboards import selectors
from odpe.accounts.roles import Role, role_required

LATEST = 5


def published_dashboard_url(year: int) -> str | None:
    """The page of a year's published dashboard, or None while the platform has no such page (it
    comes with the published dashboards' pages): the year is then listed without a link."""
    try:
        return reverse("dashboards:published_detail", args=[year])
    except NoReverseMatch:
        return None


@role_required(Role.MEMBER, Role.REFERENT, Role.ADMIN)
def extranet(request):
    dashboards = selectors.latest_published_dashboards(LATEST)
    context = {
        "dashboards": [(version, published_dashboard_url(version.data_year)) for version in dashboards],
        "documents": selectors.online_documents()[:LATEST],
        "waiting": selectors.document_queue().count() if selectors.is_editor(request.user) else 0,
    }
    return render(request, "dashboards/extranet/home.html", context)
