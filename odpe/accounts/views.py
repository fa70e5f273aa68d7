from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from odpe.accounts import selectors, services
from odpe.accounts.forms import AcceptInvitationForm
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor, client_ip
from odpe.errors import TransitionError


@require_POST
@role_required(Role.ADMIN)
def invitation_revoke(request, pk):
    invitation = selectors.get_invitation_for(request.user, pk)
    try:
        services.revoke_invitation(invitation, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    return redirect("invitation_list")


@login_not_required
@sensitive_variables("token", "form")
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token):
    invitation = services.find_invitation(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410 if invitation else 404)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if form.is_valid():
        try:
            user = services.accept_invitation(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                ip=client_ip(request),
            )
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("account_login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
