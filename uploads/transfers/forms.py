from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from conventions.models import Convention, Partner
from odpe.accounts import access
from odpe.accounts.models import User
from uploads.transfers.models import Dataset


class DatasetForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Sent by"), queryset=Partner.objects.none(), empty_label=None)
    base = forms.ChoiceField(label=_("Base (annex 2)"), choices=Dataset.Base.choices)
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_(
            "What the dataset holds, without any personal data: « Extraction Iodas-ASE, mars 2024 »."
        ),
    )
    file = forms.FileField(
        label=_("Pseudonymised file (CSV or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_(
            "The columns cle_primaire and cle_secondaire (64 hexadecimal characters), then the fields of "
            "the base; dates reduced to month and year (MM/AAAA). No name, first name or full birth date."
        ),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda partner: partner.name

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.TRANSFER_MAX_BYTES:
            raise forms.ValidationError(
                _("This file weighs %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.TRANSFER_MAX_BYTES)}
            )
        return file


class LinkageForm(forms.Form):
    left = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none())
    right = forms.ModelChoiceField(label=_("Compared with"), queryset=Dataset.objects.none())

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("left", "right"):
            self.fields[name].queryset = datasets
            self.fields[name].label_from_instance = lambda dataset: (
                f"{dataset.label} ({dataset.partner.name})"
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("left") and cleaned.get("left") == cleaned.get("right"):
            self.add_error("right", _("Choose two different datasets."))
        return cleaned


class DesignationForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("For the partner"), queryset=Partner.objects.none())
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        parties = Partner.objects.filter(
            signatures__convention=convention, signatures__left_on__isnull=True
        ).order_by("name")
        self.fields["partner"].queryset = parties
        self.fields["partner"].label_from_instance = lambda partner: partner.name
        people = set()
        for partner in parties:
            people |= set(access.correspondents_of(partner).values_list("pk", flat=True))
        self.fields["user"].queryset = User.objects.filter(pk__in=people).order_by("email")
        self.fields["user"].label_from_instance = lambda user: user.email
