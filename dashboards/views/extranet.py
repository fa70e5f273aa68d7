"""The extranet's home for the members of the observatory's bodies (and the ODPE team)."""

from django.shortcuts import render

from dashboards import selectors
from odpe.accounts.roles import Role, role_required

LATEST = 5


@role_required(Role.MEMBER, Role.REFERENT, Role.ADMIN)
def extranet(request):
    context = {
        "dashboards": selectors.latest_published_dashboards(LATEST),
        "documents": selectors.online_documents()[:LATEST],
        "waiting": selectors.document_queue().count() if selectors.is_editor(request.user) else 0,
    }
    return render(request, "dashboards/extranet/home.html", context)
