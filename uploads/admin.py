from django import forms
from django.contrib import admin

from odpe.admin import ReadOnlyAdminMixin
from odpe.audit import Actor
from uploads import services
from uploads.forms import SchemaField
from uploads.models import (
    Campaign,
    ColumnMapping,
    Indicator,
    ReminderSent,
    Submission,
    SubmissionVersion,
    TableRequirement,
    TableSpec,
)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Indicators and rates are defined and reworded on the catalogue page (`uploads.catalogue`), which
    writes the audit log."""

    list_display = ["code", "label", "domain", "unit", "numerator", "denominator"]
    list_filter = ["domain", "unit"]
    search_fields = ["code", "label"]


class ColumnMappingInline(admin.TabularInline):
    model = ColumnMapping
    autocomplete_fields = ["indicator"]
    extra = 0


class TableSpecAdminForm(forms.ModelForm):
    schema = SchemaField()

    class Meta:
        model = TableSpec
        fields = ["code", "title", "sheet_name", "description", "schema"]


@admin.register(TableSpec)
class TableSpecAdmin(admin.ModelAdmin):
    form = TableSpecAdminForm
    list_display = ["code", "title", "sheet_name", "updated_at"]
    search_fields = ["code", "title"]
    inlines = [ColumnMappingInline]

    def save_form(self, request, form, change):
        # The write and its audit row go through the same service as the site's form.
        return services.save_spec(form, actor=Actor.from_request(request))

    def save_model(self, request, obj, form, change):
        """Already saved by `save_form`."""


@admin.register(TableRequirement)
class TableRequirementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Expected tables change on the convention's « Tables attendues » page (`uploads.expected_tables`),
    which audits each change and tells the partner."""

    list_display = [
        "partner",
        "spec",
        "convention",
        "amendment",
        "frequency",
        "due_day",
        "due_month",
        "ends_with_data_year",
    ]
    list_filter = ["spec", "convention"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["data_year", "opens_on", "due_on"]

    def has_add_permission(self, request):
        # A campaign is opened from the collection pages (uploads.services.create_campaign): that
        # opens its submissions and writes the audit log.
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["partner", "spec", "campaign"]
    list_filter = ["campaign", "spec"]
    search_fields = ["partner__name"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["submission", "number", "status", "uploaded_at", "uploaded_by"]
    list_filter = ["status"]
    search_fields = ["submission__partner__name", "sha256"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "partner", "spec", "milestone", "sent_at"]
