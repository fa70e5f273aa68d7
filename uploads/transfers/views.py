"""The pages of pseudonymised transfers: the page that pseudonymises a nominative extract in the browser,
and the datasets and linkage reports of the data-transfer conventions, reached only by the people the
convention designates (404 for anyone else); designating them is the admins' page."""

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conventions import selectors as convention_selectors
from conventions.models import Partner
from odpe import audit, encryption
from odpe.accounts.access import PSEUDONYMISERS
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.filenames import attach
from uploads.transfers import selectors, services
from uploads.transfers.forms import DatasetForm, DesignationForm, LinkageForm
from uploads.transfers.pseudonymisation import KEY_COLUMNS

# What static/js/pseudonymise.js says, in the person's language; the rules are those of
# uploads.transfers.pseudonymisation, whose French sentences these repeat.
BROWSER_MESSAGES = {
    "name": gettext_lazy("The name"),
    "first_name": gettext_lazy("The first name"),
    "not_latin": gettext_lazy(
        "%(what)s “%(value)s” holds a letter outside the Latin alphabet (“%(letter)s”): write it in Latin "
        "letters, as in the civil-status record."
    ),
    "no_letter": gettext_lazy("%(what)s “%(value)s” holds no letter."),
    "date_empty": gettext_lazy("The birth date is empty."),
    "date_impossible": gettext_lazy("The date “%(value)s” does not exist."),
    "date_shape": gettext_lazy(
        "The date “%(value)s” is not written JJ/MM/AAAA, JJ-MM-AAAA, AAAA-MM-JJ or AAAA/JJ/MM."
    ),
    "line": gettext_lazy("Line %(line)s: %(error)s"),
    "line_column": gettext_lazy("Line %(line)s, column “%(column)s”: %(error)s"),
    "reveals": gettext_lazy(
        "Line %(line)s, column “%(column)s”: it repeats the person's name, first name or birth date, which "
        "must not be sent."
    ),
    "shared": gettext_lazy("The column “%(column)s” is used for the keys: it cannot also be kept."),
    "empty_file": gettext_lazy("The file is empty: its first line must name the columns."),
    "unreadable": gettext_lazy("This workbook cannot be read: save it again as .xlsx or .csv."),
    "not_text": gettext_lazy(
        "This file is neither a workbook nor a CSV text file: save it as .xlsx or .csv."
    ),
    "read": gettext_lazy("%(count)s line(s) read, %(columns)s column(s). Nothing has left your computer."),
    "done": gettext_lazy("%(count)s line(s) pseudonymised. Nothing has left your computer."),
}


@role_required(*PSEUDONYMISERS)
def pseudonymise(request):
    """The page works in the browser alone: the nominative file is never sent here. A designated person
    may send the pseudonymised file, made in the browser, to `dataset_upload`, which checks it."""
    designations = selectors.upload_designations_of(request.user)
    context = {
        "key_columns": KEY_COLUMNS,
        "browser_messages": BROWSER_MESSAGES,
        "designations": designations,
        "upload_form": DatasetForm(partners=Partner.objects.none(), auto_id="upload-%s")
        if designations
        else None,
    }
    return render(request, "transfers/pseudonymise.html", context)


@role_required(Role.CORRESPONDENT)
def transfer_list(request):
    conventions = selectors.transfer_conventions_of(request.user)
    return render(request, "transfers/transfer_list.html", {"conventions": conventions})


@role_required(Role.CORRESPONDENT)
def transfer_detail(request, pk):
    convention = selectors.get_transfer_convention_for(request.user, pk)
    context = {
        "convention": convention,
        "datasets": selectors.datasets_of(convention),
        "reports": selectors.linkage_reports_visible_to(request.user).filter(convention=convention),
    }
    return render(request, "transfers/transfer_detail.html", context)


@role_required(Role.CORRESPONDENT)
def dataset_upload(request, pk):
    convention = selectors.get_transfer_convention_for(request.user, pk)
    partners = selectors.partners_designating(request.user, convention)
    form = DatasetForm(request.POST or None, request.FILES or None, partners=partners)
    findings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.receive_dataset(
                convention,
                data["partner"],
                base=data["base"],
                label=data["label"],
                uploaded_file=data["file"],
                actor=Actor.from_request(request),
            )
        except services.DatasetRefused as refusal:
            findings = refusal.findings
            form.add_error(
                "file",
                _("The dataset is refused: nothing of it was kept. Correct what follows and send it again."),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dataset received, checked and stored encrypted."))
            return redirect(dataset)
    context = {"convention": convention, "form": form, "findings": findings}
    return render(request, "transfers/dataset_form.html", context)


@role_required(Role.CORRESPONDENT)
def dataset_detail(request, pk):
    dataset = selectors.get_dataset_for(request.user, pk)
    return render(request, "transfers/dataset_detail.html", {"dataset": dataset})


@role_required(Role.CORRESPONDENT)
def dataset_file(request, pk):
    """The decrypted file, streamed; every download is audited."""
    dataset = selectors.get_dataset_for(request.user, pk)
    if not dataset.file:
        raise Http404
    audit.record(
        Actor.from_request(request),
        "transfers.dataset_downloaded",
        dataset,
        convention=dataset.convention.reference,
        **audit.about_partner(dataset.partner),
    )
    response = StreamingHttpResponse(
        encryption.decrypted_chunks(dataset.file), content_type="application/octet-stream"
    )
    return attach(response, f"{dataset.convention.reference}-{dataset.base}.{dataset.kind}")


@role_required(Role.CORRESPONDENT)
def linkage_create(request, pk):
    convention = selectors.get_transfer_convention_for(request.user, pk)
    form = LinkageForm(
        request.POST or None, datasets=selectors.datasets_of(convention).filter(deleted_at=None)
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.compute_linkage(
                form.cleaned_data["left"], form.cleaned_data["right"], actor=Actor.from_request(request)
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            return redirect(report)
    return render(request, "transfers/linkage_form.html", {"convention": convention, "form": form})


@role_required(Role.CORRESPONDENT)
def linkage_detail(request, pk):
    report = selectors.get_linkage_report_for(request.user, pk)
    return render(request, "transfers/linkage_detail.html", {"report": report})


@role_required(Role.ADMIN)
def designation_list(request, pk):
    """Who the convention designates for its datasets, and the form to designate one more."""
    convention = convention_selectors.get_convention_for(request.user, pk)
    form = DesignationForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.designate_person(
                convention,
                form.cleaned_data["partner"],
                form.cleaned_data["user"],
                actor=Actor.from_request(request),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Person designated: they now see the convention's datasets."))
            return redirect("transfers:designation_list", convention.pk)
    context = {"convention": convention, "form": form, "designations": selectors.designations_of(convention)}
    return render(request, "transfers/designation_list.html", context)


@require_POST
@role_required(Role.ADMIN)
def designation_end(request, pk):
    designation = selectors.get_designation_for(request.user, pk)
    try:
        services.end_designation(designation, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Designation ended: the person no longer sees the datasets."))
    return redirect("transfers:designation_list", designation.convention_id)
