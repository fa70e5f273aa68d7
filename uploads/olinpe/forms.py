import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the base"), min_value=2011)
    file = forms.FileField(label=_("Yearly extract (CSV or .xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year - 1


class DictionaryImportForm(forms.Form):
    file = forms.FileField(label=_("Variable dictionary (Table Schema, JSON)"))

    def clean_file(self):
        try:
            descriptor = json.loads(self.cleaned_data["file"].read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("This file is not a JSON Table Schema.")) from None
        if not isinstance(descriptor, dict):
            raise forms.ValidationError(_("This file is not a JSON Table Schema."))
        return descriptor
