"""The extranet's home for the members of the observatory's bodies (and the ODPE team)."""

from django.shortcuts import render

from dashboards import selectors
from odpe.accounts import access
from odpe.accounts.access import EXTRANET_READERS
from odpe.accounts.roles import role_required

LATEST = 5


@role_required(*EXTRANET_READERS)
def extranet(request):
    context = {
        "dashboards": selectors.latest_published_dashboards(LATEST),
        "documents": selectors.online_documents()[:LATEST],
        "waiting": selectors.document_queue().count() if access.is_editor(request.user) else 0,
    }
    return render(request, "dashboards/extranet/home.html", context)
