from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from odpe.errors import TransitionError
from odpe.models import AuditEvent


class ReadOnlyAdminMixin:
    """What changes only through its services (or never, like the audit log) is shown, not edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_label", "action_display", "object_repr", "ip"]
    list_filter = ["action", "at"]
    search_fields = ["actor_label", "action", "object_repr", "object_id", "ip"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj):
        return obj.action_label


def one_object_action(
    modeladmin, request, queryset, *, action: str, form_class, title: str, submit_label: str, apply
):
    """The admin action `action` on exactly one object, through a form on a page of its own.

    `form_class(data, obj=obj)` is the form; `apply(obj, cleaned_data)` calls the service and returns the success message; a TransitionError
    it raises shows on the form.
    """
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one line."), messages.WARNING)
        return None
    obj = queryset.get()
    form = form_class(request.POST if "apply" in request.POST else None, obj=obj)
    if form.is_valid():
        try:
            success = apply(obj, form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            modeladmin.message_user(request, success, messages.SUCCESS)
            return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "object": obj,
        "form": form,
        "action": action,
        "submit_label": submit_label,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return render(request, "admin/action_form.html", context)
