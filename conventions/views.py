from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import cache_control

from conventions import selectors
from conventions.logos import logo_response
from odpe import audit
from odpe.accounts.access import EXTRANET_READERS
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.filenames import attach


@role_required(*EXTRANET_READERS)
def convention_list(request):
    conventions = selectors.conventions_visible_to(request.user).select_related("parent")
    return render(request, "conventions/convention_list.html", {"conventions": conventions})


@role_required(*EXTRANET_READERS)
def convention_detail(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    today = timezone.localdate()
    signatories = sorted(convention.signatories.all(), key=lambda s: (s.joined_on, s.partner.name))
    context = {
        "convention": convention,
        "signatories": signatories,
        "active_count": sum(1 for s in signatories if s.left_on is None),
        "under_notice": [s.withdrawal for s in signatories if s.pending_withdrawal()],
        "today": today,
    }
    return render(request, "conventions/convention_detail.html", context)


@role_required(*EXTRANET_READERS)
def convention_document(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    if not convention.signed_document:
        raise Http404
    audit.record(Actor.from_request(request), "convention.document_downloaded", convention)
    return FileResponse(
        convention.signed_document.open("rb"), as_attachment=True, filename=f"{convention.reference}.pdf"
    )


@role_required(*EXTRANET_READERS)
def partner_list(request):
    partners = selectors.partners_visible_to(request.user)
    return render(request, "conventions/partner_list.html", {"partners": partners})


@role_required(*EXTRANET_READERS)
def partner_detail(request, pk):
    partner = selectors.get_partner_for(request.user, pk)
    context = {
        "partner": partner,
        "signatures": selectors.signatures_of(partner),
        "today": timezone.localdate(),
    }
    return render(request, "conventions/partner_detail.html", context)


@cache_control(private=True, max_age=3600)
def partner_logo(request, pk):
    """Logos are shown to every signed-in person (contributors are credited by name and logo)."""
    partner = selectors.get_partner_for(request.user, pk)
    if not partner.logo:
        raise Http404
    return logo_response(partner.logo)


@role_required(Role.ADMIN)
def certificate_download(request, pk):
    certificate = selectors.get_certificate_for(request.user, pk)
    audit.record(
        Actor.from_request(request),
        "certificate.downloaded",
        certificate,
        **audit.about_partner(certificate.partner),
    )
    text = render_to_string(
        "conventions/destruction_certificate.txt", {"certificate": certificate}, request=request
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = f"certificat-destruction-{certificate.convention.reference}-{certificate.destroyed_on}.txt"
    return attach(response, filename)
