from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from conventions import selectors as convention_selectors
from odpe.accounts import access
from odpe.accounts.access import (
    CATALOGUE_KEEPERS,
    CATALOGUE_READERS,
    COLLECTION_PARTICIPANTS,
    INDICATOR_AUTHORS,
    REVIEWERS,
)
from odpe.accounts.roles import Role, has_role, role_required
from odpe.audit import Actor
from odpe.errors import ExplainedNotFound, TransitionError
from odpe.filenames import attach, display_name
from odpe.ratelimits import rate_limited
from odpe.spreadsheets import csv_response
from uploads import catalogue, descriptors, expected_tables, exports, reminders, selectors, services
from uploads.comparison import compare_version
from uploads.forms import (
    CalendarForm,
    CampaignForm,
    CatalogueAdoptionForm,
    ExpectAgainForm,
    ExpectedTableForm,
    IndicatorForm,
    IndicatorWordingForm,
    RateForm,
    ReturnForm,
    SchemaImportForm,
    SpecImportForm,
    StopExpectingForm,
    TableSpecForm,
    UploadForm,
)
from uploads.workbooks.template import describe_field

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return attach(HttpResponse(content, content_type=XLSX), filename)


@role_required(Role.CORRESPONDENT)
def collection(request):
    return render(request, "uploads/collection.html", {"years": selectors.collection_years(request.user)})


@role_required(*COLLECTION_PARTICIPANTS)
def template_download(request, campaign_pk, partner_pk):
    campaign = selectors.get_campaign_for(request.user, campaign_pk)
    partner = selectors.get_contributing_partner_for(request.user, partner_pk)
    content = exports.partner_template(campaign, partner)
    if content is None:
        raise ExplainedNotFound(
            _("%(partner)s owes no table for %(year)s: there is no template to fill.")
            % {"partner": capfirst(partner.with_article(full=True)), "year": campaign.data_year}
        )
    return xlsx_response(content, f"odpe-{campaign.data_year}-{partner.short_name or 'modele'}.xlsx")


SHOWN_VERSIONS = 20  # the latest; a partner who sent more sees how many are not listed
SHOWN_EVENTS = 40


def _submission_page(request, submission, form, status=200):
    versions = submission.versions.select_related("uploaded_by")
    events = submission.events.select_related("version", "by").order_by("-at")
    context = {
        "submission": submission,
        "versions": versions[:SHOWN_VERSIONS],
        "versions_not_shown": max(0, versions.count() - SHOWN_VERSIONS),
        "events": list(reversed(events[:SHOWN_EVENTS])),
        "events_not_shown": max(0, events.count() - SHOWN_EVENTS),
        "form": form,
        "due_on": selectors.due_date_of(submission),
        "reminders": selectors.reminders_of(submission),
    }
    return render(request, "uploads/submission_detail.html", context, status=status)


@role_required(*COLLECTION_PARTICIPANTS)
def submission_detail(request, pk):
    submission = selectors.get_submission_for(request.user, pk)
    form = UploadForm() if access.may_act_for(request.user, submission.partner) else None
    return _submission_page(request, submission, form)


@require_POST
@role_required(Role.CORRESPONDENT)
@rate_limited("upload_table")
def submission_upload(request, pk):
    submission = selectors.get_submission_for(request.user, pk)
    if not access.may_act_for(request.user, submission.partner):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        # htmx swaps only successful answers: the page with its inline errors comes back as a 200.
        return _submission_page(request, submission, form, status=200 if request.htmx else 400)
    services.receive_upload(
        submission,
        actor=Actor.from_request(request),
        uploaded_file=form.cleaned_data["file"],
        attested=form.cleaned_data["attested"],
        comment=form.cleaned_data["comment"],
    )
    if request.htmx:  # the page, which follows the check of the new version until it ends
        return _submission_page(request, selectors.get_submission_for(request.user, pk), UploadForm())
    return redirect(submission)


@role_required(*COLLECTION_PARTICIPANTS)
def version_detail(request, pk):
    version = selectors.get_version_for(request.user, pk)
    if request.htmx:
        return render(request, "uploads/partials/_version_status.html", {"version": version, "poll": True})
    reviewing = access.is_reviewer(request.user) and version.status == version.Status.TO_REVIEW
    context = {"version": version, "reviewing": reviewing, "return_form": ReturnForm() if reviewing else None}
    if reviewing:
        context["comparison"] = compare_version(version)
    return render(request, "uploads/version_detail.html", context)


@role_required(*COLLECTION_PARTICIPANTS)
def version_file(request, pk):
    """The file as sent, once the checks have read it as a workbook, and always handed over as one: a
    file refused as not being a workbook is not kept, and one not checked yet is not handed over."""
    version = selectors.get_version_for(request.user, pk)
    if not version.has_bytes or version.validated_at is None:
        raise ExplainedNotFound(
            _("This file is not available: it was not kept, or its check has not ended yet.")
        )
    services.record_download(version, actor=Actor.from_request(request), what="original")
    name = display_name(version.original_name)
    if not name.lower().endswith(".xlsx"):
        name = f"{name}.xlsx"
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


@role_required(*COLLECTION_PARTICIPANTS)
def version_annotated(request, pk):
    """The annotated copy the worker made when it checked the version, as stored; or the report alone."""
    version = selectors.get_version_for(request.user, pk)
    if version.report is None:
        raise Http404
    if version.annotates_its_file and not version.annotated_copy:
        messages.info(
            request,
            _("The annotated copy of this version is not ready yet: the list below gives every finding."),
        )
        return redirect(version)
    services.record_download(version, actor=Actor.from_request(request), what="annotated")
    name = display_name(version.original_name).rsplit(".", 1)[0] + "-rapport.xlsx"
    if version.annotated_copy:
        return attach(FileResponse(version.annotated_copy.open("rb"), content_type=XLSX), name)
    return xlsx_response(exports.report_alone(version), name)


@role_required(*REVIEWERS)
def review_queue(request):
    return render(request, "uploads/review_queue.html", {"versions": selectors.review_queue()})


@require_POST
@role_required(*REVIEWERS)
def version_accept(request, pk):
    version = selectors.get_version_for(request.user, pk)
    try:
        services.accept_version(version, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Table accepted: the partner’s correspondents are informed by e-mail."))
    return redirect(version)


@role_required(*REVIEWERS)
def version_return(request, pk):
    version = selectors.get_version_for(request.user, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_version(
                version, actor=Actor.from_request(request), comment=form.cleaned_data["comment"]
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Table returned: the partner’s correspondents are informed by e-mail.")
            )
        return redirect(version)
    return render(request, "uploads/version_return.html", {"version": version, "form": form})


@role_required(*REVIEWERS)
def campaign_list(request):
    return render(
        request, "uploads/campaign_list.html", {"campaigns": selectors.campaigns_visible_to(request.user)}
    )


@role_required(*REVIEWERS)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, _("Campaign created: the expected tables are listed below."))
        return redirect(campaign)
    return render(request, "uploads/campaign_form.html", {"form": form})


@role_required(*REVIEWERS)
def campaign_detail(request, pk):
    campaign = selectors.get_campaign_for(request.user, pk)
    specs, rows = selectors.completeness_matrix(campaign)
    return render(
        request, "uploads/campaign_detail.html", {"campaign": campaign, "specs": specs, "rows": rows}
    )


@role_required(*REVIEWERS)
@rate_limited("remind_partners")
def campaign_remind(request, pk):
    """« Relancer maintenant »: the preview of the e-mail and whom it goes to; posting it sends it."""
    campaign = selectors.get_campaign_for(request.user, pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            count = reminders.remind_now(campaign, actor=Actor.from_request(request), today=today)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The correspondents of %(count)s partner were reminded.",
                    "The correspondents of %(count)s partners were reminded.",
                    count,
                )
                % {"count": count},
            )
        return redirect(campaign)
    partners, email = reminders.preview_reminders(campaign, today)
    return render(
        request, "uploads/campaign_remind.html", {"campaign": campaign, "partners": partners, "email": email}
    )


@role_required(*REVIEWERS)
def campaign_matrix_csv(request, pk):
    campaign = selectors.get_campaign_for(request.user, pk)
    header, lines = exports.matrix_rows(*selectors.completeness_matrix(campaign, timezone.localdate()))
    return csv_response(f"completude-{campaign.data_year}.csv", header, lines)


@role_required(*REVIEWERS)
def spec_list(request):
    return render(request, "uploads/spec_list.html", {"specs": selectors.specs_visible_to(request.user)})


@role_required(*REVIEWERS)
def spec_detail(request, pk):
    spec = selectors.get_spec_for(request.user, pk)
    meanings = {column.field_name: column for column in spec.columns.all()}
    columns = [
        {"field": field, "rules": describe_field(field), "mapping": meanings.get(field["name"])}
        for field in spec.schema.get("fields", [])
    ]
    return render(
        request,
        "uploads/spec_detail.html",
        {"spec": spec, "columns": columns, "import_form": SchemaImportForm()},
    )


@role_required(*REVIEWERS)
def spec_create(request):
    form = TableSpecForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        spec = services.save_spec(form, actor=Actor.from_request(request))
        messages.success(request, _("Table spec created."))
        return redirect(spec)
    return render(request, "uploads/spec_form.html", {"form": form})


@role_required(*REVIEWERS)
def spec_import_new(request):
    form = SpecImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        spec = services.import_spec(form.cleaned_data["spec"], actor=Actor.from_request(request))
        messages.success(
            request, _("Table spec imported: check the meaning of its columns before a campaign uses it.")
        )
        return redirect(spec)
    return render(request, "uploads/spec_import.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*REVIEWERS)
def spec_edit(request, pk):
    spec = selectors.get_spec_for(request.user, pk)
    form = TableSpecForm(request.POST or None, instance=spec)
    if request.method == "POST" and form.is_valid():
        services.save_spec(form, actor=Actor.from_request(request))
        messages.success(request, _("Table spec saved."))
        return redirect(spec)
    return render(request, "uploads/spec_form.html", {"form": form, "spec": spec})


@role_required(*REVIEWERS)
def spec_schema(request, pk):
    spec = selectors.get_spec_for(request.user, pk)
    descriptor = descriptors.export_descriptor(
        code=spec.code,
        title=spec.title,
        description=spec.description,
        sheet_name=spec.sheet_name,
        schema=spec.schema,
    )
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return attach(response, f"{spec.code}.schema.json")


@require_POST
@role_required(*REVIEWERS)
def spec_import(request, pk):
    spec = selectors.get_spec_for(request.user, pk)
    form = SchemaImportForm(request.POST, request.FILES)
    if form.is_valid():
        services.replace_schema(spec, form.cleaned_data["file"], actor=Actor.from_request(request))
        messages.success(request, _("Table Schema imported."))
        return redirect(spec)
    return render(request, "uploads/spec_detail.html", {"spec": spec, "import_form": form}, status=400)


@role_required(*CATALOGUE_READERS)
def catalogue_detail(request):
    """The indicators as adopted, and which decision adopted them (Loire art. 3)."""
    version = selectors.adopted_catalogue()
    context = {
        "version": version,
        "not_adopted": selectors.indicators_not_adopted(version),
        "may_define": has_role(request.user, *INDICATOR_AUTHORS),
    }
    if has_role(request.user, *CATALOGUE_KEEPERS):
        context["form"] = CatalogueAdoptionForm(decisions=selectors.decisions_to_adopt_a_catalogue())
    return render(request, "uploads/catalogue.html", context)


@role_required(*INDICATOR_AUTHORS)
def indicator_create(request):
    done = _(
        "Indicator “%(code)s” added: the next adoption of the catalogue by a body's decision takes it in."
    )
    return _define(request, IndicatorForm(request.POST or None), done, kind="indicator")


@role_required(*INDICATOR_AUTHORS)
def rate_create(request):
    done = _("Rate “%(code)s” defined: the next dashboard computes it, and the next adoption takes it in.")
    return _define(request, RateForm(request.POST or None), done, kind="rate")


def _define(request, form, done, *, kind):
    """Both definitions end alike: the new indicator waits for the next adoption of the catalogue."""
    if request.method == "POST" and form.is_valid():
        try:
            indicator = catalogue.define_indicator(form.save(commit=False), actor=Actor.from_request(request))
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done % {"code": indicator.code})
            return redirect("uploads:catalogue")
    status = 400 if form.errors else 200
    return render(request, "uploads/indicator_form.html", {"form": form, "kind": kind}, status=status)


@role_required(*INDICATOR_AUTHORS)
def indicator_edit(request, pk):
    indicator = selectors.get_indicator(pk)
    form = IndicatorWordingForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        catalogue.reword_indicator(indicator, actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, _("Indicator “%(code)s” reworded.") % {"code": indicator.code})
        return redirect("uploads:catalogue")
    status = 400 if form.errors else 200
    return render(
        request,
        "uploads/indicator_form.html",
        {"form": form, "kind": "wording", "indicator": indicator},
        status=status,
    )


@require_POST
@role_required(*CATALOGUE_KEEPERS)
def catalogue_adopt(request):
    form = CatalogueAdoptionForm(request.POST, decisions=selectors.decisions_to_adopt_a_catalogue())
    if not form.is_valid():
        messages.error(request, _("Choose a decision adopting the list of indicators."))
        return redirect("uploads:catalogue")
    try:
        version = catalogue.adopt_catalogue(form.cleaned_data["decision"], actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(number)s of the catalogue is adopted: the next campaign collects it.")
            % {"number": version.number},
        )
    return redirect("uploads:catalogue")


# The expected tables of a convention (Loire art. 4) ------------------------------------------------------


@role_required(*REVIEWERS)
def expected_tables_list(request, pk):
    convention = convention_selectors.get_convention_for(request.user, pk)
    context = {
        "convention": convention,
        "requirements": selectors.expected_tables_of(request.user, convention),
    }
    return render(request, "uploads/expected_tables.html", context)


def _requirement_words(requirement):
    """The table and its partner, as the headings of a table's pages name them."""
    return {"table": requirement.spec.title, "of_partner": requirement.partner.of_name()}


def _expected_table_form(request, convention, form, **words):
    context = {"convention": convention, "form": form, **words}
    return render(request, "uploads/expected_table_form.html", context)


@role_required(*REVIEWERS)
def expected_table_add(request, pk):
    """Under the convention itself, or (admins) with the amendment of additional data supply that brings it."""
    convention = convention_selectors.get_convention_for(request.user, pk)
    partners = selectors.partners_in_force(convention)
    with_amendment = has_role(request.user, Role.ADMIN)
    form = ExpectedTableForm(request.POST or None, partners=partners, with_amendment=with_amendment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            requirement = expected_tables.expect_table(
                convention,
                actor=Actor.from_request(request),
                **{name: data[name] for name in ("partner", "spec", "frequency", "due_day", "due_month")},
                amendment=form.amendment(),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(partner)s now owes « %(table)s »: %(calendar)s.")
                % {
                    "partner": capfirst(requirement.partner.with_article()),
                    "table": requirement.spec.title,
                    "calendar": requirement.describe_calendar(),
                },
            )
            return redirect("uploads:expected_tables", convention.pk)
    return _expected_table_form(
        request, convention, form, heading=_("Expect a table"), submit_label=_("Expect this table")
    )


@role_required(*REVIEWERS)
def expected_table_calendar(request, pk):
    requirement = selectors.get_requirement_for(request.user, pk)
    initial = {name: getattr(requirement, name) for name in ("frequency", "due_day", "due_month")}
    form = CalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        requirement = expected_tables.change_table_calendar(
            requirement, actor=Actor.from_request(request), **form.cleaned_data
        )
        messages.success(
            request, _("Calendar saved: %(calendar)s.") % {"calendar": requirement.describe_calendar()}
        )
        return redirect("uploads:expected_tables", requirement.convention_id)
    heading = _("Calendar of « %(table)s » %(of_partner)s") % _requirement_words(requirement)
    return _expected_table_form(
        request, requirement.convention, form, heading=heading, submit_label=_("Save the calendar")
    )


@role_required(*REVIEWERS)
def expected_table_resume(request, pk):
    requirement = selectors.get_requirement_for(request.user, pk)
    form = ExpectAgainForm(request.POST if request.method == "POST" else None)  # an empty POST is falsy
    if request.method == "POST" and form.is_valid():
        try:
            requirement = expected_tables.expect_table_again(requirement, actor=Actor.from_request(request))
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The table is expected again: %(calendar)s.")
                % {"calendar": requirement.describe_calendar()},
            )
            return redirect("uploads:expected_tables", requirement.convention_id)
    heading = _("Expect « %(table)s » %(of_partner)s again") % _requirement_words(requirement)
    return _expected_table_form(
        request, requirement.convention, form, heading=heading, submit_label=_("Expect this table again")
    )


@role_required(*REVIEWERS)
def expected_table_stop(request, pk):
    requirement = selectors.get_requirement_for(request.user, pk)
    current = selectors.campaigns_visible_to(request.user).filter(opens_on__lte=timezone.localdate()).first()
    form = StopExpectingForm(request.POST or None, initial={"last_data_year": current and current.data_year})
    if request.method == "POST" and form.is_valid():
        try:
            expected_tables.stop_expecting_table(
                requirement, actor=Actor.from_request(request), **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error("last_data_year", str(error))
        else:
            messages.success(
                request,
                _("The table is no longer expected after the data of %(year)s.")
                % {"year": form.cleaned_data["last_data_year"]},
            )
            return redirect("uploads:expected_tables", requirement.convention_id)
    heading = _("Stop expecting « %(table)s » %(of_partner)s") % _requirement_words(requirement)
    return _expected_table_form(
        request, requirement.convention, form, heading=heading, submit_label=_("No longer expect this table")
    )
