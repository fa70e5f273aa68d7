import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conventions.models import Decision, Partner
from uploads import descriptors
from uploads.models import Campaign, Indicator, TableRequirement, TableSpec
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
        return _descriptor_from(super().to_python(value))


class TableSpecForm(forms.ModelForm):
    schema = SchemaField(label=_("Table Schema (JSON)"))

    class Meta:
        model = TableSpec
        fields = ["code", "title", "sheet_name", "description", "schema"]


SCHEMA_MAX_BYTES = 1024 * 1024


def _descriptor_from(text: str) -> dict:
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


def _read_schema_file(uploaded) -> dict:
    if uploaded.size > SCHEMA_MAX_BYTES:
        raise forms.ValidationError(_("A Table Schema is a small JSON file: this one is too large."))
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError(_("This file is not a JSON document.")) from error
    return _descriptor_from(text)


class SchemaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Table Schema file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        return _read_schema_file(self.cleaned_data["file"])


class SpecImportForm(forms.Form):
    """A schema as published (schema.data.gouv.fr), uploaded or pasted, read into a new table spec.

    The cleaned form holds `spec`, an unsaved `TableSpec` that passed every check of the model."""

    file = forms.FileField(
        label=_("Table Schema file (.json)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    text = forms.CharField(
        label=_("…or the Table Schema pasted as JSON"),
        required=False,
        max_length=SCHEMA_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 12, "class": "code", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Code of the table spec"),
        required=False,
        max_length=descriptors.CODE_MAX,
        help_text=_("Leave empty to use the schema’s name."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        return _read_schema_file(uploaded) if uploaded else None

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        return _descriptor_from(text) if text else None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        from_file, from_text = cleaned.get("file"), cleaned.get("text")
        if (from_file is None) == (from_text is None):
            raise forms.ValidationError(_("Choose a JSON file or paste the schema, not both nor neither."))
        descriptor = from_file if from_file is not None else from_text
        name = descriptor.get("name")
        code = cleaned.get("code") or (descriptors.code_from(name) if isinstance(name, str) else "")
        if not code:
            self.add_error("code", _("This schema has no name: give the table spec a code."))
            return cleaned
        title = descriptor.get("title") or name or code
        spec = TableSpec(
            code=code,
            title=str(title)[:200],
            description=str(descriptor.get("description") or ""),
            sheet_name=descriptors.sheet_name_from(descriptor, str(title)),
            schema=descriptors.schema_body(descriptor),
        )
        if not descriptors.is_sheet_name(spec.sheet_name):
            self.add_error(
                None,
                _(
                    "The sheet “%(name)s” cannot be a tab of the template: remove [ ] : * ? / \\ and outer "
                    "quotes, and use neither “Lisez-moi” nor “Listes”."
                )
                % {"name": spec.sheet_name},
            )
            return cleaned
        try:
            spec.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field == "code":
                    self.add_error("code", messages)
                else:  # read from the descriptor: say which part
                    label = TableSpec._meta.get_field(field).verbose_name
                    self.add_error(
                        None,
                        [
                            _("%(part)s: %(message)s") % {"part": capfirst(label), "message": m}
                            for m in messages
                        ],
                    )
            return cleaned
        cleaned["spec"] = spec
        return cleaned


class CatalogueAdoptionForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none())

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = str


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarForm(forms.Form):
    """The calendar agreed in the application convention (Loire art. 4): a day and month of the year after
    the data year, or neither for the campaign's due date."""

    frequency = forms.ChoiceField(label=_("Frequency"), choices=TableRequirement.Frequency.choices)
    due_day = forms.IntegerField(
        label=_("Agreed due day"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_(
            "Leave the day and the month empty to use the campaign’s due date. The 31st is the month’s last day."
        ),
    )
    due_month = forms.TypedChoiceField(
        label=_("Agreed due month"),
        choices=[("", _("The campaign’s due date")), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Of the year after the data year."),
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_day") is None) != (cleaned.get("due_month") is None) and not self.errors:
            raise forms.ValidationError(
                _("Give both the day and the month of the agreed due date, or neither.")
            )
        return cleaned


class ExpectedTableForm(CalendarForm):
    """A table a partner owes under a convention; with `with_amendment`, an admin may record at the same
    time the amendment of additional data supply that brings it."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    spec = forms.ModelChoiceField(label=_("Table"), queryset=TableSpec.objects.order_by("title"))

    field_order = ["partner", "spec", "frequency", "due_day", "due_month"]

    def __init__(self, *args, partners, with_amendment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda partner: partner.name
        if with_amendment:
            self.fields["by_amendment"] = forms.BooleanField(
                label=_("Record at the same time the amendment that brings this table"), required=False
            )
            self.fields["signed_on"] = forms.DateField(
                label=_("Amendment signed on"), required=False, widget=DATE
            )
            self.fields["takes_effect_on"] = forms.DateField(
                label=_("Amendment takes effect on"), required=False, widget=DATE
            )
            self.fields["subject"] = forms.CharField(
                label=_("Subject of the amendment"), max_length=300, required=False
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("by_amendment"):
            return cleaned
        for name in ("signed_on", "takes_effect_on", "subject"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("An amendment needs this."))
        signed_on, takes_effect_on = cleaned.get("signed_on"), cleaned.get("takes_effect_on")
        if signed_on and takes_effect_on and takes_effect_on < signed_on:
            self.add_error("takes_effect_on", _("An amendment cannot take effect before it is signed."))
        return cleaned

    def amendment(self) -> dict | None:
        """What `uploads.expected_tables.expect_table` records as the amendment, or None."""
        if not self.cleaned_data.get("by_amendment"):
            return None
        return {name: self.cleaned_data[name] for name in ("signed_on", "takes_effect_on", "subject")}


class StopExpectingForm(forms.Form):
    last_data_year = forms.IntegerField(
        label=_("Last data year expected"),
        min_value=2000,
        max_value=2100,
        help_text=_("The partner still sends the table for this year; nothing is asked after it."),
    )


class ExpectAgainForm(forms.Form):
    """Nothing to fill: the table keeps the calendar it had, which can be changed after."""


class IndicatorForm(forms.ModelForm):
    """A statistic the partners send."""

    class Meta:
        model = Indicator
        fields = ["code", "label", "domain", "unit", "by_territory", "by_sex", "by_age_group", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "code": _("Lower-case letters, digits, hyphens and underscores, e.g. “enfants-confies”.")
        }


class RateForm(forms.ModelForm):
    """A rate the dashboard computes from two indicators the partners send: numerator / denominator × 100 or
    1,000. Nobody sends it, and it is masked wherever its numerator is."""

    unit = forms.ChoiceField(
        label=_("Per"),
        choices=[(Indicator.Unit.PER_THOUSAND, _("per 1,000")), (Indicator.Unit.RATE, _("per 100 (%)"))],
    )

    class Meta:
        model = Indicator
        fields = ["code", "label", "domain", "numerator", "denominator", "unit", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "definition": _(
                "Shown with the figure: what is counted over which population, and on which date."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counted = Indicator.objects.filter(numerator__isnull=True).order_by("domain", "code")
        for name in ("numerator", "denominator"):
            self.fields[name].required = True
            self.fields[name].queryset = counted
            self.fields[name].label_from_instance = str

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("numerator") and cleaned.get("numerator") == cleaned.get("denominator"):
            self.add_error(
                "denominator",
                _("A rate divides an indicator by another one: choose a different denominator."),
            )
        return cleaned


class IndicatorWordingForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["label", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}
