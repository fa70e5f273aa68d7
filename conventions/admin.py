from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conventions import services
from conventions.forms import WithdrawalForm
from conventions.models import (
    Amendment,
    Body,
    BodyMembership,
    Convention,
    DestructionCertificate,
    Partner,
    Signatory,
    Withdrawal,
)
from odpe import audit
from odpe.accounts import access
from odpe.accounts import services as account_services
from odpe.accounts.models import User
from odpe.admin import ReadOnlyAdminMixin, one_object_action
from odpe.audit import Actor
from odpe.errors import TransitionError


class CorrespondentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, obj: Partner, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        correspondents = access.correspondents_of(obj)
        people = User.objects.filter(is_active=True).exclude(pk__in=correspondents)
        self.fields["user"].queryset = people if adding else correspondents


class AddCorrespondentForm(CorrespondentForm):
    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, adding=True, **kwargs)


class RemoveCorrespondentForm(CorrespondentForm):
    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, adding=False, **kwargs)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """A partner's correspondents are shown, and change only through the actions, which call the
    services that write the audit log (never guardian's permission pages)."""

    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["correspondents"]
    actions = ["add_correspondent", "remove_correspondent"]

    @admin.display(description=_("correspondents"))
    def correspondents(self, obj):
        return ", ".join(user.email for user in access.correspondents_of(obj).order_by("email")) or "—"

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Add a correspondent"), permissions=["change"])
    def add_correspondent(self, request, queryset):
        def apply(partner, data):
            account_services.add_correspondent(data["user"], partner, actor=Actor.from_request(request))
            return _("%(user)s now acts for %(partner)s.") % {
                "user": data["user"],
                "partner": partner.with_article(),
            }

        return one_object_action(
            self,
            request,
            queryset,
            action="add_correspondent",
            form_class=AddCorrespondentForm,
            title=_("Add a correspondent"),
            submit_label=_("Add the correspondent"),
            apply=apply,
        )

    @admin.action(description=_("Remove a correspondent"), permissions=["change"])
    def remove_correspondent(self, request, queryset):
        def apply(partner, data):
            account_services.remove_correspondent(data["user"], partner, actor=Actor.from_request(request))
            return _("%(user)s no longer acts for %(partner)s.") % {
                "user": data["user"],
                "partner": partner.with_article(),
            }

        return one_object_action(
            self,
            request,
            queryset,
            action="remove_correspondent",
            form_class=RemoveCorrespondentForm,
            title=_("Remove a correspondent"),
            submit_label=_("Remove the correspondent"),
            apply=apply,
        )


class SignatoryInline(admin.TabularInline):
    model = Signatory
    fk_name = "convention"
    fields = ["partner", "joined_on", "left_on", "via_amendment"]
    autocomplete_fields = ["partner"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        # Original signatories are entered with the convention; later changes go through amendments.
        return (
            ["left_on", "via_amendment"]
            if obj is None
            else ["partner", "joined_on", "left_on", "via_amendment"]
        )

    def has_add_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fields = ["number", "signed_on", "takes_effect_on", "effect", "subject", "partner", "new_end_date"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "kind",
        "takes_effect_on",
        "current_ends_on",
        "exit_policy",
        "status_label",
    ]
    list_filter = ["kind", "exit_policy"]
    search_fields = ["reference", "title", "signatories__partner__name"]
    date_hierarchy = "takes_effect_on"
    inlines = [SignatoryInline, AmendmentInline]
    actions = ["record_withdrawal"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("signatories__withdrawal")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["current_ends_on"]
        # A signed convention is never edited in place (Loire art. 7): amendments change it.
        return [f.name for f in Convention._meta.fields if f.name not in ("summary",)]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.current_ends_on = obj.ends_on
        super().save_model(request, obj, form, change)
        audit.record(
            Actor.from_request(request), "convention.changed" if change else "convention.created", obj
        )

    def save_formset(self, request, form, formset, change):
        for signatory_form in formset.forms:
            if formset.model is Signatory and not signatory_form.cleaned_data.get("joined_on"):
                signatory_form.instance.joined_on = form.instance.takes_effect_on
        super().save_formset(request, form, formset, change)

    @admin.action(description=_("Record a withdrawal (dénonciation)"))
    def record_withdrawal(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one convention."), messages.WARNING)
            return None
        convention = queryset.get()
        form = WithdrawalForm(request.POST if "apply" in request.POST else None, convention=convention)
        if form.is_valid():
            try:
                withdrawal = services.record_withdrawal(
                    form.cleaned_data["signatory"],
                    actor=Actor.from_request(request),
                    letter_sent_on=form.cleaned_data["letter_sent_on"],
                    letter_received_on=form.cleaned_data["letter_received_on"],
                    initiated_by=form.cleaned_data["initiated_by"],
                    reason=form.cleaned_data["reason"],
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("Withdrawal recorded: %(partner)s leaves on %(date)s.")
                    % {
                        "partner": capfirst(withdrawal.signatory.partner.with_article()),
                        "date": withdrawal.effective_on.strftime("%d/%m/%Y"),
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:conventions_convention_change", convention.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a withdrawal"),
            "convention": convention,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/conventions/record_withdrawal.html", context)


class AmendmentAdminForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = [
            "convention",
            "signed_on",
            "takes_effect_on",
            "subject",
            "effect",
            "partner",
            "new_end_date",
            "signed_document",
        ]

    def clean(self):
        cleaned = super().clean()
        effect = cleaned.get("effect")
        if effect == Amendment.Effect.PARTNER_ACCESSION and not cleaned.get("partner"):
            self.add_error("partner", _("Name the acceding partner."))
        if effect == Amendment.Effect.CHANGE_OF_END_DATE and not cleaned.get("new_end_date"):
            self.add_error("new_end_date", _("Give the new end date."))
        return cleaned


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    form = AmendmentAdminForm
    list_display = ["convention", "number", "effect", "subject", "takes_effect_on"]
    list_filter = ["effect"]
    search_fields = ["subject", "convention__reference", "partner__name"]
    autocomplete_fields = ["convention", "partner"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Recording goes through the service, which numbers the amendment and applies its effect.
        data = form.cleaned_data
        try:
            with transaction.atomic():
                form.instance = services.record_amendment(
                    data["convention"],
                    actor=Actor.from_request(request),
                    signed_on=data["signed_on"],
                    takes_effect_on=data["takes_effect_on"],
                    subject=data["subject"],
                    effect=data["effect"],
                    partner=data.get("partner"),
                    new_end_date=data.get("new_end_date"),
                    signed_document=data.get("signed_document"),
                )
        except TransitionError as error:
            raise forms.ValidationError(str(error)) from error
        # The admin's "added" message reads the object it holds: give it the number the service chose.
        obj.pk, obj.number = form.instance.pk, form.instance.number

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["signatory", "letter_received_on", "effective_on", "days_left_label", "applied_at"]
    list_filter = ["applied_at", "initiated_by"]
    search_fields = ["signatory__partner__name", "signatory__convention__reference"]
    readonly_fields = [f.name for f in Withdrawal._meta.fields]

    @admin.display(description=_("days left"))
    def days_left_label(self, obj):
        return obj.days_left(timezone.localdate()) if obj.applied_at is None else "—"


@admin.register(DestructionCertificate)
class DestructionCertificateAdmin(admin.ModelAdmin):
    list_display = ["convention", "partner", "destroyed_on", "issued_at"]
    readonly_fields = [f.name for f in DestructionCertificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BodyMembershipInline(admin.TabularInline):
    """New members are added here (through the service, which gives the member role); standing
    memberships are read-only and end through the memberships' action, never by deletion."""

    model = BodyMembership
    autocomplete_fields = ["user", "partner"]
    fields = ["user", "partner", "since", "until"]
    readonly_fields = ["until"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["__str__"]
    inlines = [BodyMembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        for membership in formset.save(commit=False):
            services.add_body_member(
                membership.body,
                membership.user,
                partner=membership.partner,
                since=membership.since,
                actor=Actor.from_request(request),
            )


@admin.register(BodyMembership)
class BodyMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "body", "partner", "since", "until"]
    list_filter = ["body", "until"]
    search_fields = ["user__email", "user__last_name", "partner__name"]
    actions = ["end_memberships"]

    def has_add_permission(self, request):
        return False  # from the body's page, which gives the member role

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_end_permission(self, request):
        return request.user.has_perm("conventions.change_bodymembership")

    @admin.action(description=_("End the selected memberships"), permissions=["end"])
    def end_memberships(self, request, queryset):
        ended = 0
        for membership in queryset:
            try:
                services.end_body_membership(membership, actor=Actor.from_request(request))
            except TransitionError as error:
                self.message_user(request, f"{membership.user}: {error}", messages.WARNING)
            else:
                ended += 1
        if ended:
            self.message_user(
                request,
                ngettext(
                    "%(count)d membership ended; the member role goes with the last one.",
                    "%(count)d memberships ended; the member role goes with each person's last one.",
                    ended,
                )
                % {"count": ended},
                messages.SUCCESS,
            )
