import json

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from uploads.models import Campaign, TableSpec
from uploads.validation import SchemaError, parse_schema


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    attested = forms.BooleanField(
        label=_("I confirm that my institution validated these figures before sending them."),
        error_messages={
            "required": _("Your institution must have validated the figures: tick the box to confirm.")
        },
    )
    comment = forms.CharField(
        label=_("Comment for the ODPE referent"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("This file weighs %(size)s; the limit is %(limit)s. Remove what the table does not need.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        if uploaded.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        return uploaded


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the partner correct?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["data_year", "opens_on", "due_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }


class SchemaField(forms.CharField):
    """A Table Schema descriptor typed or pasted as JSON, checked by the validation engine."""

    widget = forms.Textarea(attrs={"rows": 20, "class": "code", "spellcheck": "false"})

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value or {}, ensure_ascii=False, indent=2)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            descriptor = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from error
        try:
            parse_schema(descriptor)
        except SchemaError as error:
            raise forms.ValidationError(str(error)) from error
        return descriptor


class TableSpecForm(forms.ModelForm):
    schema = SchemaField(label=_("Table Schema (JSON)"))

    class Meta:
        model = TableSpec
        fields = ["code", "title", "sheet_name", "description", "schema"]


class SchemaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Table Schema file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 1024 * 1024:
            raise forms.ValidationError(_("A Table Schema is a small JSON file: this one is too large."))
        try:
            descriptor = json.loads(uploaded.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(_("This file is not a JSON document.")) from error
        try:
            parse_schema(descriptor)
        except SchemaError as error:
            raise forms.ValidationError(str(error)) from error
        return descriptor
