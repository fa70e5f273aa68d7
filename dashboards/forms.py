from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    data_year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)
    threshold = forms.IntegerField(
        label=_("Confidentiality threshold"),
        min_value=2,
        max_value=50,
        help_text=_("Counts from 1 to below this number are masked in everything that leaves the ODPE team."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threshold"].initial = settings.DISCLOSURE_THRESHOLD


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class PublishForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Also publish it for the public (anyone, without an account)"),
        required=False,
        help_text=_("Otherwise only the members of the observatory's bodies read it on the extranet."),
    )


class ConsentForm(forms.Form):
    CONSENT, REFUSE = "consent", "refuse"
    decision = forms.ChoiceField(
        label=_("Your institution’s answer"),
        choices=[(CONSENT, _("We consent to the publication of these figures")), (REFUSE, _("We refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for a refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Required if you refuse: the ODPE referent reads it to decide."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why your institution refuses."))
        return data


class CompareForm(forms.Form):
    """Two published years, read from the address (GET): the earlier first."""

    before = forms.TypedChoiceField(label=_("First year"), coerce=int)
    after = forms.TypedChoiceField(label=_("Second year"), coerce=int)

    def __init__(self, data, *, years: list[int]):
        years = sorted(years, reverse=True)
        defaults = {"after": years[0] if years else "", "before": years[1] if len(years) > 1 else ""}
        super().__init__({**defaults, **{key: data[key] for key in defaults if data.get(key)}})
        for name in ("before", "after"):
            self.fields[name].choices = [(year, str(year)) for year in years]

    def clean(self):
        data = super().clean()
        if data.get("before") is not None and data.get("before") == data.get("after"):
            self.add_error("after", _("Choose two different years."))
        return data
