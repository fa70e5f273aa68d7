"""The ground floor's forms: the breach register's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from odpe.breaches import RECIPIENTS
from odpe.models import Breach

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "title",
            "discovered_at",
            "began_at",
            "nature",
            "people_categories",
            "people_count",
            "record_categories",
            "record_count",
            "consequences",
            "measures",
        ]
        widgets = {
            "discovered_at": DATETIME,
            "began_at": DATETIME,
            "nature": TEXT,
            "people_categories": TEXT,
            "record_categories": TEXT,
            "consequences": TEXT,
            "measures": TEXT,
        }

    def clean(self):
        cleaned = super().clean()
        discovered_at, began_at = cleaned.get("discovered_at"), cleaned.get("began_at")
        if discovered_at and discovered_at > timezone.now():
            self.add_error("discovered_at", _("The discovery cannot be in the future."))
        if discovered_at and began_at and began_at > discovered_at:
            self.add_error("began_at", _("A breach cannot begin after it was discovered."))
        return cleaned


class NotificationForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("Notified"), choices=[(key, label) for key, (_field, _hours, label) in RECIPIENTS.items()]
    )
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=DATETIME)
