from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conventions.models import Partner
from uploads.models import TableSpec

ANSWER_EXTENSIONS = ("pdf", "xlsx", "ods", "csv", "docx", "odt")


class DataRequestForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message to the partners"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Which data, for which period, at which level of detail."),
    )
    due_on = forms.DateField(label=_("Answer expected by"), widget=forms.DateInput(attrs={"type": "date"}))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners asked"),
        queryset=Partner.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    spec = forms.ModelChoiceField(
        label=_("Table spec of the answer"),
        queryset=TableSpec.objects.order_by("title"),
        required=False,
        empty_label=_("None: a document of their choice"),
        help_text=_("With a table spec, the partners fill its workbook and the checks read it."),
    )
    data_year = forms.IntegerField(
        label=_("Year the figures describe"),
        required=False,
        min_value=2000,
        help_text=_(
            "Required with a table spec: the accepted figures join the observatory’s data of that year."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].label_from_instance = lambda partner: partner.name

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("This date has passed: give a deadline from today on."))
        return due_on

    def clean_data_year(self):
        year = self.cleaned_data["data_year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("This year has not begun: its figures cannot be asked for yet."))
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("spec") is not None
            and cleaned.get("data_year") is None
            and "data_year" not in self.errors
        ):
            self.add_error(
                "data_year", _("Give the year the figures describe: the table’s values join its data.")
            )
        return cleaned


class AnswerForm(forms.Form):
    file = forms.FileField(label=_("Your answer (file)"))
    comment = forms.CharField(
        label=_("Comment for the ODPE referent"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("This file weighs %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        if uploaded.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        if uploaded.name.rsplit(".", 1)[-1].lower() not in ANSWER_EXTENSIONS:
            raise forms.ValidationError(
                _("Send a PDF, a spreadsheet (.xlsx, .ods, .csv) or a text document (.docx, .odt).")
            )
        return uploaded


class ReturnAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
