from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from odpe import audit
from odpe.accounts import access
from odpe.accounts.access import COLLECTION_PARTICIPANTS, REVIEWERS
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.errors import ExplainedNotFound, TransitionError
from odpe.filenames import attach, display_name
from odpe.ratelimits import rate_limited
from uploads.data_requests import exports, selectors, services
from uploads.data_requests.forms import AnswerForm, DataRequestForm, ReturnAnswerForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(*COLLECTION_PARTICIPANTS)
def request_list(request):
    if access.is_reviewer(request.user):
        requests = selectors.requests_visible_to(request.user).prefetch_related("addressees__partner")
        return render(request, "data_requests/request_list.html", {"requests": requests})
    addressees = selectors.addressees_visible_to(request.user).order_by("-request__created_at")
    return render(request, "data_requests/addressee_list.html", {"addressees": addressees})


@role_required(*REVIEWERS)
def request_create(request):
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request = services.send_data_request(actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Request sent: the partners’ correspondents are informed by e-mail."))
            return redirect(data_request)
    return render(request, "data_requests/request_form.html", {"form": form})


@role_required(*REVIEWERS)
def request_detail(request, pk):
    data_request = selectors.get_request_for(request.user, pk)
    addressees = data_request.addressees.select_related("partner")
    today = timezone.localdate()
    return render(
        request,
        "data_requests/request_detail.html",
        {"data_request": data_request, "addressees": addressees, "today": today},
    )


@role_required(*COLLECTION_PARTICIPANTS)
def addressee_detail(request, pk):
    addressee = selectors.get_addressee_for(request.user, pk)
    may_answer = access.may_act_for(request.user, addressee.partner) and addressee.is_owed
    return _addressee_page(request, addressee, AnswerForm() if may_answer else None)


def _addressee_page(request, addressee, form, status=200):
    context = {
        "addressee": addressee,
        "data_request": addressee.request,
        "answers": addressee.answers.select_related("uploaded_by"),
        "late": addressee.is_late_on(timezone.localdate()),
        "form": form,
    }
    return render(request, "data_requests/addressee_detail.html", context, status=status)


@require_POST
@role_required(Role.CORRESPONDENT)
@rate_limited("upload_table")
def addressee_answer(request, pk):
    addressee = selectors.get_addressee_for(request.user, pk)
    if not access.may_act_for(request.user, addressee.partner):
        raise PermissionDenied
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _addressee_page(request, addressee, form, status=400)
    try:
        services.answer_data_request(
            addressee,
            actor=Actor.from_request(request),
            uploaded_file=form.cleaned_data["file"],
            comment=form.cleaned_data["comment"],
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer sent: the ODPE referent will review it."))
    return redirect(addressee)


@require_POST
@role_required(*REVIEWERS)
def addressee_accept(request, pk):
    addressee = selectors.get_addressee_for(request.user, pk)
    try:
        services.accept_answer(addressee, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer accepted: the partner’s correspondents are informed by e-mail."))
    return redirect(addressee)


@role_required(*REVIEWERS)
def addressee_return(request, pk):
    addressee = selectors.get_addressee_for(request.user, pk)
    form = ReturnAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_answer(
                addressee, actor=Actor.from_request(request), comment=form.cleaned_data["comment"]
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Answer returned: the partner’s correspondents are informed by e-mail.")
            )
        return redirect(addressee)
    return render(request, "data_requests/addressee_return.html", {"addressee": addressee, "form": form})


@role_required(*COLLECTION_PARTICIPANTS)
def answer_file(request, pk):
    answer = selectors.get_answer_for(request.user, pk)
    if not answer.has_bytes:
        raise ExplainedNotFound(
            _("This file was destroyed when the partner left the convention it was sent under.")
        )
    audit.record(
        Actor.from_request(request), "data_request.downloaded", answer.addressee, name=answer.original_name
    )
    return FileResponse(
        answer.file.open("rb"), as_attachment=True, filename=display_name(answer.original_name)
    )


@role_required(*COLLECTION_PARTICIPANTS)
def template_download(request, pk):
    addressee = selectors.get_addressee_for(request.user, pk)
    if addressee.request.spec is None:
        raise ExplainedNotFound(_("This request asks for a document of your choice: there is no template."))
    content = exports.answer_template(addressee)
    return attach(
        HttpResponse(content, content_type=XLSX),
        f"odpe-demande-{addressee.partner.short_name or 'modele'}.xlsx",
    )
