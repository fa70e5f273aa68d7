from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from odpe.accounts import services
from odpe.accounts.access import partners_represented_by
from odpe.accounts.models import Invitation, User
from odpe.accounts.roles import Role, roles_of
from odpe.admin import ReadOnlyAdminMixin, one_object_action
from odpe.audit import Actor

# Roles given or taken back here; a correspondent's rights go with a partner (the partner's admin page),
# a member's with a governance body (the body's admin page).
ROLES_CHANGED_HERE = [(Role.ADMIN, Role.ADMIN.label), (Role.REFERENT, Role.REFERENT.label)]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLES_CHANGED_HERE)

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Roles and partner rights are shown, never edited as fields: they change through the actions
    (and the partner's and body's pages), which call the services that write the audit log."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name"]}),
        (_("Roles"), {"fields": ["is_active", "roles", "partners"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["grant_role", "revoke_role"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["roles", "partners", "last_login", "date_joined"]
        # Changing someone's address or password would let the admin sign in as them, and act for
        # their partner: only the technical superuser may.
        return fields if request.user.is_superuser else ["email", *fields]

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(str(Role(role).label) for role in sorted(roles_of(obj))) or "—"

    @admin.display(description=_("correspondent of"))
    def partners(self, obj):
        return ", ".join(partner.name for partner in partners_represented_by(obj).order_by("name")) or "—"

    @admin.action(description=_("Grant a role"), permissions=["change"])
    def grant_role(self, request, queryset):
        def apply(user, data):
            services.grant_role(user, data["role"], actor=Actor.from_request(request))
            return _("Role granted to %(user)s.") % {"user": user}

        return one_object_action(
            self,
            request,
            queryset,
            action="grant_role",
            form_class=RoleForm,
            title=_("Grant a role"),
            submit_label=_("Grant the role"),
            apply=apply,
        )

    @admin.action(description=_("Take a role back"), permissions=["change"])
    def revoke_role(self, request, queryset):
        def apply(user, data):
            services.revoke_role(user, data["role"], actor=Actor.from_request(request))
            return _("Role taken back from %(user)s.") % {"user": user}

        return one_object_action(
            self,
            request,
            queryset,
            action="revoke_role",
            form_class=RoleForm,
            title=_("Take a role back"),
            submit_label=_("Take the role back"),
            apply=apply,
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdminMixin, BaseGroupAdmin):
    """The role groups and their rights come from the apps' declarations (odpe.accounts.groups)."""


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "role",
        "partners",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False
