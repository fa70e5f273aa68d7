from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from conventions import selectors
from conventions.models import Convention
from odpe.accounts.roles import Role, roles_of
from odpe.models import AuditEvent


def home(request):
    """One page, with a section for each role the person holds."""
    roles = roles_of(request.user)
    context = {"today": timezone.localdate()}
    if roles & {Role.ADMIN, Role.REFERENT, Role.MEMBER}:
        conventions = list(selectors.conventions_visible_to(request.user))
        context["conventions"] = conventions
        context["withdrawals"] = selectors.withdrawals_under_notice()
        context["ending_soon"] = [c for c in conventions if c.status == Convention.Status.ENDING_SOON]
    if Role.ADMIN in roles:
        context["recent_events"] = AuditEvent.objects.select_related("actor")[:10]
    if Role.CORRESPONDENT in roles:
        context["my_partners"] = selectors.partners_of_correspondent(request.user)
    return render(request, "home.html", context)


@login_not_required
def healthz(request):
    return render(request, "healthz.txt", content_type="text/plain")
