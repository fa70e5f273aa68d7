from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from conventions import meetings, notices, selectors, services
from conventions.forms import (
    AmendmentForm,
    BodyForm,
    ConventionForm,
    DecisionForm,
    MeetingDocumentForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
    NoticeForm,
    PartnerForm,
    RecipientForm,
    SignatoryForm,
    SignedDocumentForm,
    WithdrawalForm,
)
from conventions.logos import logo_response
from conventions.models import Signatory
from odpe import audit
from odpe.accounts import access
from odpe.accounts.access import (
    BODY_MANAGERS,
    CERTIFICATE_READERS,
    EXTRANET_READERS,
    MEETING_SECRETARIES,
    NOTICE_READERS,
    NOTICE_RECORDERS,
)
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.errors import TransitionError
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
        "active_count": sum(1 for s in signatories if s.status_on(today) in Signatory.TAKING_PART),
        "under_notice": [s.withdrawal for s in signatories if s.pending_withdrawal()],
        "timeline": selectors.convention_timeline(convention, signatories),
        "recipients": selectors.recipients_of(convention),
        "notices": selectors.notices_of(convention),
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


@role_required(*CERTIFICATE_READERS)
def certificate_list(request):
    """Admins see every certificate; correspondents those of their partners (PIPASE art. 3.3)."""
    certificates = selectors.certificates_visible_to(request.user)
    return render(request, "conventions/certificate_list.html", {"certificates": certificates})


@role_required(*CERTIFICATE_READERS)
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


@role_required(Role.ADMIN)
def convention_create(request):
    form = ConventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        convention = services.create_convention(actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, _("Convention created: add its signatories below."))
        return redirect("conventions:signatory_add", convention.pk)
    return render(request, "conventions/convention_form.html", {"form": form})


@role_required(Role.ADMIN)
def signatory_add(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    form = SignatoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signatory = services.add_signatory(
                convention,
                form.cleaned_data["partner"],
                actor=Actor.from_request(request),
                joined_on=form.cleaned_data["joined_on"],
            )
        except TransitionError as error:
            form.add_error("partner", str(error))
        else:
            messages.success(
                request,
                _("%(partner)s is now a signatory. Add another one, or go back to the convention.")
                % {"partner": signatory.partner.name},
            )
            return redirect("conventions:signatory_add", convention.pk)
    context = {"convention": convention, "form": form}
    return render(request, "conventions/signatory_form.html", context)


@role_required(Role.ADMIN)
def amendment_create(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.record_amendment(
                convention, actor=Actor.from_request(request), **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Amendment no. %(number)s recorded.") % {"number": amendment.number})
            return redirect(convention)
    return render(request, "conventions/amendment_form.html", {"convention": convention, "form": form})


@role_required(Role.ADMIN)
def withdrawal_preview(request, pk):
    """First step: the form, then its effective date and consequences, shown before anything is recorded."""
    convention = selectors.get_convention_for(request.user, pk)
    form = WithdrawalForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        preview = selectors.withdrawal_preview(convention, **form.cleaned_data)
        context = {"convention": convention, "form": form, "preview": preview}
        return render(request, "conventions/withdrawal_preview.html", context)
    return render(request, "conventions/withdrawal_form.html", {"convention": convention, "form": form})


@require_POST
@role_required(Role.ADMIN)
def withdrawal_confirm(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    form = WithdrawalForm(request.POST, convention=convention)
    if not form.is_valid():
        return render(request, "conventions/withdrawal_form.html", {"convention": convention, "form": form})
    try:
        withdrawal = services.record_withdrawal(actor=Actor.from_request(request), **form.cleaned_data)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Withdrawal recorded: %(partner)s leaves on %(date)s.")
            % {
                "partner": withdrawal.signatory.partner.name,
                "date": withdrawal.effective_on.strftime("%d/%m/%Y"),
            },
        )
    return redirect(convention)


@role_required(Role.ADMIN)
def document_upload(request, pk):
    convention = selectors.get_convention_for(request.user, pk)
    form = SignedDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.attach_signed_document(
            convention, form.cleaned_data["document"], actor=Actor.from_request(request)
        )
        messages.success(request, _("Signed document uploaded: the parties can download it."))
        return redirect(convention)
    return render(request, "conventions/document_form.html", {"convention": convention, "form": form})


@role_required(Role.ADMIN)
def partner_edit(request, pk):
    partner = selectors.get_partner_for(request.user, pk)
    form = PartnerForm(request.POST or None, request.FILES or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        changes = {**form.cleaned_data, "logo": form.cleaned_data["logo"] or ""}
        services.update_partner(partner, actor=Actor.from_request(request), **changes)
        messages.success(request, _("The partner's details are saved."))
        return redirect("conventions:partner_detail", partner.pk)
    return render(request, "conventions/partner_form.html", {"partner": partner, "form": form})


@role_required(Role.ADMIN)
def recipient_designate(request, pk):
    """The party that receives the data under a data-transfer convention, and owes the notices."""
    convention = selectors.get_convention_for(request.user, pk)
    form = RecipientForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            notices.designate_recipient(
                convention, form.cleaned_data["partner"], actor=Actor.from_request(request)
            )
        except TransitionError as error:
            form.add_error("partner", str(error))
        else:
            messages.success(request, _("Recipient designated: it owes the Département its notices."))
            return redirect(convention)
    return render(request, "conventions/recipient_form.html", {"convention": convention, "form": form})


@role_required(*NOTICE_READERS)
def notice_list(request):
    """Notices owed to the Département: overdue first, then those expected, then those received."""
    today = timezone.localdate()
    visible = list(selectors.notices_visible_to(request.user))
    context = {
        "overdue": [n for n in visible if n.is_overdue(today)],
        "expected": [n for n in visible if n.status == n.Status.EXPECTED and not n.is_overdue(today)],
        "received": [n for n in visible if n.status == n.Status.RECEIVED],
        "today": today,
    }
    return render(request, "conventions/notice_list.html", context)


@role_required(*NOTICE_READERS)
def notice_detail(request, pk):
    notice = selectors.get_notice_for(request.user, pk)
    context = {
        "notice": notice,
        "may_record": selectors.may_record_notice(request.user, notice),
        "today": timezone.localdate(),
    }
    return render(request, "conventions/notice_detail.html", context)


@role_required(*NOTICE_RECORDERS)
def notice_record(request, pk):
    notice = selectors.get_notice_for(request.user, pk)
    if not selectors.may_record_notice(request.user, notice):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, request.FILES or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            notices.record_notice(notice, actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Notice recorded: the Département is told."))
        return redirect(notice)
    return render(request, "conventions/notice_form.html", {"notice": notice, "form": form})


@role_required(*NOTICE_READERS)
def notice_document(request, pk):
    notice = selectors.get_notice_for(request.user, pk)
    if not notice.signed_notice:
        raise Http404
    audit.record(
        Actor.from_request(request),
        "notice.document_downloaded",
        notice,
        **audit.about_partner(notice.partner),
    )
    filename = f"avis-{notice.kind}-{notice.convention.reference}.pdf"
    return FileResponse(notice.signed_notice.open("rb"), as_attachment=True, filename=filename)


# Governance bodies and their meetings ------------------------------------------------------------------


@role_required(*EXTRANET_READERS)
def body_list(request):
    """A member finds the bodies they sit in; the ODPE team every body."""
    bodies = selectors.bodies_visible_to(request.user)
    return render(request, "conventions/body_list.html", {"bodies": bodies})


@role_required(*BODY_MANAGERS)
def body_create(request):
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = meetings.create_body(actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            form.add_error("kind", str(error))
        else:
            messages.success(request, _("Body created: add its members below."))
            return redirect(body)
    return render(request, "conventions/body_form.html", {"form": form})


@role_required(*EXTRANET_READERS)
def body_detail(request, pk):
    body = selectors.get_body_for(request.user, pk)
    now = timezone.now()
    context = {
        "body": body,
        "members": selectors.current_members(body),
        "upcoming": body.meetings.filter(held_at__gte=now).order_by("held_at"),
        "past": body.meetings.filter(held_at__lt=now).order_by("-held_at"),
        "secretary": access.keeps_meetings(request.user),
    }
    return render(request, "conventions/body_detail.html", context)


@role_required(*BODY_MANAGERS)
def body_member_add(request, pk):
    body = selectors.get_body_for(request.user, pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.add_body_member(
                body, actor=Actor.from_request(request), **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(person)s now sits in this body.") % {"person": membership.user})
            return redirect(body)
    return render(request, "conventions/body_member_form.html", {"body": body, "form": form})


@require_POST
@role_required(*BODY_MANAGERS)
def body_member_end(request, pk):
    membership = selectors.get_membership_for(request.user, pk)
    try:
        services.end_body_membership(membership, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s no longer sits in this body.") % {"person": membership.user})
    return redirect(membership.body)


@role_required(*MEETING_SECRETARIES)
def meeting_create(request, pk):
    body = selectors.get_body_for(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = meetings.schedule_meeting(body, actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, _("Meeting scheduled: its members see it on their home page."))
        return redirect(meeting)
    return render(request, "conventions/meeting_form.html", {"body": body, "form": form})


@role_required(*EXTRANET_READERS)
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    context = {
        "meeting": meeting,
        "held": meeting.held_at <= timezone.now(),
        "secretary": access.keeps_meetings(request.user),
    }
    return render(request, "conventions/meeting_detail.html", context)


@role_required(*MEETING_SECRETARIES)
def meeting_minutes(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    initial = {"minutes": meeting.minutes, "attendees": list(meeting.attendees.all())}
    form = MinutesForm(request.POST or None, initial=initial, members=selectors.current_members(meeting.body))
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_minutes(meeting, actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Minutes recorded: the body's members can read them."))
            return redirect(meeting)
    return render(request, "conventions/meeting_minutes.html", {"meeting": meeting, "form": form})


@role_required(*MEETING_SECRETARIES)
def meeting_document_add(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = MeetingDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        meetings.attach_meeting_document(
            meeting,
            actor=Actor.from_request(request),
            title=form.cleaned_data["title"],
            uploaded_file=form.cleaned_data["document"],
        )
        messages.success(request, _("Document added to the meeting."))
        return redirect(meeting)
    words = {
        "heading": _("Document for %(meeting)s") % {"meeting": meeting},
        "crumb": _("New document"),
        "lead": _("A PDF the body’s members can download: a presentation, a report, the signed minutes."),
        "submit_label": _("Add the document"),
    }
    return render(request, "conventions/meeting_item_form.html", {"meeting": meeting, "form": form, **words})


@role_required(*EXTRANET_READERS)
def meeting_document(request, pk):
    document = selectors.get_meeting_document_for(request.user, pk)
    stream = document.file.open("rb")
    audit.record(Actor.from_request(request), "meeting.document_downloaded", document)
    response = FileResponse(stream, as_attachment=True, content_type="application/pdf")
    return attach(response, f"{document.title}.pdf")


@role_required(*MEETING_SECRETARIES)
def decision_create(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_decision(meeting, actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(meeting)
    words = {
        "heading": _("Decision of %(meeting)s") % {"meeting": meeting},
        "crumb": _("New decision"),
        "lead": _(
            "A decision adopting the list of indicators can then adopt a version of the indicator catalogue."
        ),
        "submit_label": _("Record the decision"),
    }
    return render(request, "conventions/meeting_item_form.html", {"meeting": meeting, "form": form, **words})
