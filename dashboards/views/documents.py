"""The documents library: partners share studies, the referent validates them, members read them; the
studies released to the public are read by anyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dashboards import documents, filetypes, selectors
from dashboards.forms import DocumentForm, DocumentSourcesForm, LibraryFilterForm, ReasonForm, RejectForm
from odpe.accounts import access
from odpe.accounts.access import DOCUMENT_SHARERS, EDITORS, LIBRARY_READERS
from odpe.accounts.roles import role_required
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.ratelimits import rate_limited

PAGE_SIZE = 20


def _apply(request, transition, document, success: str, **kwargs):
    """Run a transition; a refused move is a French message, not an error page."""
    try:
        transition(document, actor=Actor.from_request(request), **kwargs)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(document)


@role_required(*LIBRARY_READERS)
def document_list(request):
    partners, years = selectors.library_facets()
    form = LibraryFilterForm(request.GET or None, partners=partners, years=years)
    online = selectors.online_documents(**form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(online, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "own": selectors.documents_of_my_partners(request.user),
        "may_share": access.may_share_documents(request.user),
    }
    return render(request, "dashboards/documents/document_list.html", context)


@role_required(*DOCUMENT_SHARERS)
@rate_limited("share_document")
def document_share(request):
    # The ODPE team shares the observatory's own documents, never in a partner's name.
    partners = access.partners_acted_for(request.user).order_by("name")
    observatory = access.is_editor(request.user)
    if not (observatory or partners.exists()):
        raise PermissionDenied  # the correspondent's institutions may only read
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = DocumentForm(data, files, partners=partners, observatory=observatory)
    if form.is_bound and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("partner", "title", "summary", "published_on")}
        try:
            document = documents.share_document(
                actor=Actor.from_request(request), uploaded_file=form.cleaned_data["file"], **fields
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Document received: it goes online once the ODPE referent validates it.")
            )
            return redirect(document)
    status = 400 if form.errors else 200
    return render(request, "dashboards/documents/document_form.html", {"form": form}, status=status)


@role_required(*LIBRARY_READERS)
def document_detail(request, pk):
    document = selectors.get_document_for(request.user, pk)
    reviewing = access.is_editor(request.user)
    context = {
        "document": document,
        "reviewing": reviewing,
        "consents": document.consent_requests.select_related("partner") if reviewing else None,
    }
    return render(request, "dashboards/documents/document_detail.html", context)


@role_required(*LIBRARY_READERS)
def document_file(request, pk):
    """The file as shared, never by a storage URL: same scope as the page, and audited."""
    return _download(request, selectors.get_document_for(request.user, pk))


@login_not_required
@require_safe
def public_study_list(request):
    """The studies released to the public, for anyone, signed in or not."""
    studies = Paginator(selectors.released_studies(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboards/documents/public_study_list.html", {"page": studies})


@login_not_required
@require_safe
def public_study_file(request, pk):
    """A released study's file for anyone; any other document is a 404 here, whoever asks."""
    return _download(request, selectors.get_released_study(pk))


def _download(request, document):
    kind = filetypes.type_of_name(document.original_name)
    stream = document.file.open("rb")  # before the audit row: a file missing from storage is no download
    documents.record_download(document, actor=Actor.from_request(request))
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=filetypes.safe_filename(document.original_name, kind),
        content_type=kind.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*EDITORS)
def document_queue(request):
    return render(
        request, "dashboards/documents/document_queue.html", {"documents": selectors.document_queue()}
    )


@require_POST
@role_required(*EDITORS)
def document_validate(request, pk):
    document = selectors.get_document_for(request.user, pk)
    return _apply(
        request, documents.validate_document, document, _("Document online: members find it in the library.")
    )


@role_required(*EDITORS)
def document_reject(request, pk):
    document = selectors.get_document_for(request.user, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        success = _("Document not published: the partner’s correspondents receive your comment by e-mail.")
        return _apply(
            request, documents.reject_document, document, success, comment=form.cleaned_data["comment"]
        )
    context = {"document": document, "form": form, "action": "reject"}
    return render(request, "dashboards/documents/document_action.html", context)


@role_required(*EDITORS)
def document_withdraw(request, pk):
    document = selectors.get_document_for(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        success = _("Document withdrawn: it is no longer on the extranet.")
        return _apply(
            request, documents.withdraw_document, document, success, reason=form.cleaned_data["reason"]
        )
    context = {"document": document, "form": form, "action": "withdraw"}
    return render(request, "dashboards/documents/document_action.html", context)


@role_required(*EDITORS)
def document_sources(request, pk):
    """Loire art. 5: the sources whose data the study uses are asked before it goes to the public."""
    document = selectors.get_document_for(request.user, pk)
    form = DocumentSourcesForm(request.POST or None, initial={"sources": list(document.sources.all())})
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            documents.request_document_consents,
            document,
            _("The sources are asked: their correspondents answer from the platform."),
            sources=list(form.cleaned_data["sources"]),
        )
    return render(request, "dashboards/documents/document_sources.html", {"document": document, "form": form})


@require_POST
@role_required(*EDITORS)
def document_release(request, pk):
    document = selectors.get_document_for(request.user, pk)
    return _apply(
        request,
        documents.release_document,
        document,
        _("The study is public: the sources whose data it uses are told by e-mail."),
    )
