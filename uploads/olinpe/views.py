"""The OLINPE area: the referent alone; anyone else gets a 404, as if it did not exist. Every page read
is audited. No page shows a record: counts, record numbers and aggregates only."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from odpe import audit
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.filenames import attach
from uploads.olinpe import services
from uploads.olinpe.coherence import CHECKS
from uploads.olinpe.forms import BaseImportForm, DictionaryImportForm
from uploads.olinpe.indicators import CATALOGUE
from uploads.olinpe.models import VariableDictionary
from uploads.olinpe.report import report_workbook
from uploads.olinpe.selectors import current_dictionary, get_base_for, yearly_bases_visible_to
from uploads.validation import SchemaError

PATHS = "olinpe-parcours-"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def olinpe_referent(view):
    """404 for anyone but the referent; the referent's every visit leaves an audit row."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.reads_olinpe(request.user):
            raise Http404
        if request.method == "GET":
            audit.record(Actor.from_request(request), "olinpe.page_read", path=request.path)
        return view(request, *args, **kwargs)

    return wrapped


@olinpe_referent
def index(request):
    context = {
        "bases": yearly_bases_visible_to(request.user).select_related("imported_by"),
        "dictionary": current_dictionary(),
        "dictionaries": VariableDictionary.objects.select_related("imported_by"),
        "form": BaseImportForm(),
        "dictionary_form": DictionaryImportForm(),
    }
    return render(request, "olinpe/index.html", context)


@require_POST
@olinpe_referent
def base_import(request):
    form = BaseImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            base = services.receive_base(
                form.cleaned_data["year"], form.cleaned_data["file"], actor=Actor.from_request(request)
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The base is received: its checks run in the background."))
            return redirect(base)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("olinpe:index")


@require_POST
@olinpe_referent
def dictionary_import(request):
    form = DictionaryImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = services.import_dictionary(
                form.cleaned_data["file"], actor=Actor.from_request(request)
            )
        except (SchemaError, TransitionError) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Version %(version)s of the dictionary now applies.") % {"version": imported.version},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("olinpe:index")


@olinpe_referent
def year(request, year):
    base = get_base_for(request.user, year)
    findings = [
        {
            **finding,
            "title": CHECKS[finding["code"]][0],
            "explanation": CHECKS[finding["code"]][1],
            "unit": CHECKS[finding["code"]][2],
        }
        for finding in base.report.get("findings", [])
    ]
    observed = {
        o.indicator.code: o.value
        for o in base.observations.select_related("indicator").filter(indicator__code__startswith=PATHS)
    }
    secret = set(base.report.get("secret", ()))
    # A masked figure (None) shows as « secret statistique »: its value was never kept.
    paths = [
        (indicator, observed.get(code))
        for code, indicator in CATALOGUE.items()
        if code.startswith(PATHS) and (code in observed or code in secret)
    ]
    context = {
        "base": base,
        "findings": findings,
        "paths": paths,
        "threshold": settings.DISCLOSURE_THRESHOLD,
        "transmissions": base.transmissions.select_related("sent_by"),
    }
    return render(request, "olinpe/year.html", context)


@olinpe_referent
def report_download(request, year):
    base = get_base_for(request.user, year)
    if not base.report:
        raise Http404
    response = HttpResponse(report_workbook(base.report, base.problems), content_type=XLSX)
    return attach(response, f"olinpe-{year}-rapport-coherence.xlsx")
