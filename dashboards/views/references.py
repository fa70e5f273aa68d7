"""The referent's reference values (France, region), shown beside the Département's figures."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dashboards import references
from dashboards.forms import ReferenceValueForm
from odpe.accounts.access import EDITORS
from odpe.accounts.roles import role_required
from odpe.audit import Actor


@role_required(*EDITORS)
def reference_value_list(request):
    form = ReferenceValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        references.record_reference_value(actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(
            request,
            _("Reference value saved: the dashboards generated from now on show it beside the figure."),
        )
        return redirect("dashboards:reference_values")
    context = {"form": form, "references": references.reference_values()}
    return render(request, "dashboards/reference_values.html", context)
