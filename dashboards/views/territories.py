"""The admin's page for the territories' shapes, from which the dashboards draw their map."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dashboards import territories
from dashboards.forms import TerritoryShapesForm
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor


@role_required(Role.ADMIN)
def territory_shapes(request):
    form = TerritoryShapesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        territories.record_territory_shapes(
            actor=Actor.from_request(request), shapes=form.shapes, file_name=form.cleaned_data["file"].name
        )
        messages.success(request, _("Shapes saved: the dashboards generated from now on show this map."))
        return redirect("dashboards:territory_shapes")
    context = {
        "form": form,
        "current": territories.current_shapes(),
        "drawing": territories.current_drawing(),
    }
    return render(request, "dashboards/territory_shapes.html", context)
