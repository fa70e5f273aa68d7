"""The audit log's filters (the roof: a partner is one of them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conventions.models import Partner
from odpe import audit
from odpe.accounts.models import User
from odpe.models import ACTION_LABELS


def action_choices():
    labelled = sorted(ACTION_LABELS.items(), key=lambda item: str(item[1]))
    return [("", _("All actions")), *((code, label) for code, label in labelled)]


class AuditFilterForm(forms.Form):
    """The security-incident page's filters, read from the query string."""

    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.order_by("email"), required=False, empty_label=_("Everyone")
    )
    partner = forms.ModelChoiceField(
        label=_("Partner concerned"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        empty_label=_("All partners"),
    )
    action = forms.ChoiceField(label=_("Action"), choices=action_choices, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].label_from_instance = lambda user: user.email
        self.fields["partner"].label_from_instance = lambda partner: partner.name

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return cleaned

    def filters(self) -> dict:
        """The selector's arguments; none (every event) for an empty or refused form."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}

    def audit_details(self) -> dict:
        """The filters in words for the audit row of an export; a partner filter ties the row
        to that partner (odpe.audit.about_partner)."""
        filters = self.filters()
        words = {name: str(value) for name, value in filters.items() if name not in ("actor", "partner")}
        if "actor" in filters:
            words["actor"] = filters["actor"].email
        partner = filters.get("partner")
        return {"filters": words, **(audit.about_partner(partner) if partner else {})}


class TransmissionForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent to the ONPE on"), widget=forms.DateInput(attrs={"type": "date"}))
