"""The admins' forms on partners and conventions: they check the input, the services record."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conventions.models import (
    Amendment,
    Body,
    BodyMembership,
    Convention,
    Decision,
    DepartmentNotice,
    Partner,
    Signatory,
    Withdrawal,
)
from conventions.validators import validate_pdf
from odpe.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConventionForm(forms.ModelForm):
    class Meta:
        model = Convention
        fields = [
            "reference",
            "title",
            "kind",
            "parent",
            "signed_on",
            "takes_effect_on",
            "ends_on",
            "notice_months",
            "notice_counted_from",
            "exit_policy",
            "summary",
        ]
        widgets = {"signed_on": DATE, "takes_effect_on": DATE, "ends_on": DATE}

    def clean(self):
        cleaned = super().clean()
        signed_on, takes_effect_on, ends_on = (
            cleaned.get(f) for f in ("signed_on", "takes_effect_on", "ends_on")
        )
        if signed_on and takes_effect_on and takes_effect_on < signed_on:
            self.add_error("takes_effect_on", _("A convention cannot take effect before it is signed."))
        if takes_effect_on and ends_on and ends_on <= takes_effect_on:
            self.add_error("ends_on", _("The end date must come after the date it takes effect."))
        return cleaned


def partner_choices():
    return Partner.objects.order_by("name")


class SignatoryForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    joined_on = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: the date the convention takes effect."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_choices()
        self.fields["partner"].label_from_instance = lambda partner: partner.name


class AmendmentForm(forms.Form):
    """An amendment bringing new expected tables is recorded with them by the collection, which knows the
    table specs (`uploads.expected_tables.expect_table`)."""

    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    takes_effect_on = forms.DateField(label=_("Takes effect on"), widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    effect = forms.ChoiceField(
        label=_("Effect"),
        choices=[
            (value, label)
            for value, label in Amendment.Effect.choices
            if value != Amendment.Effect.ADDITIONAL_DATA_SUPPLY
        ],
    )
    partner = forms.ModelChoiceField(
        label=_("Acceding partner"), queryset=Partner.objects.none(), required=False
    )
    new_end_date = forms.DateField(label=_("New end date"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_choices()
        self.fields["partner"].label_from_instance = lambda partner: partner.name

    def clean(self):
        cleaned = super().clean()
        effect = cleaned.get("effect")
        if effect == Amendment.Effect.PARTNER_ACCESSION and not cleaned.get("partner"):
            self.add_error("partner", _("Name the acceding partner."))
        if effect == Amendment.Effect.CHANGE_OF_END_DATE and not cleaned.get("new_end_date"):
            self.add_error("new_end_date", _("Give the new end date."))
        signed_on, takes_effect_on = cleaned.get("signed_on"), cleaned.get("takes_effect_on")
        if signed_on and takes_effect_on and takes_effect_on < signed_on:
            self.add_error("takes_effect_on", _("An amendment cannot take effect before it is signed."))
        return cleaned


class WithdrawalForm(forms.Form):
    signatory = forms.ModelChoiceField(label=_("Withdrawing partner"), queryset=Signatory.objects.none())
    initiated_by = forms.ChoiceField(label=_("Initiated by"), choices=Withdrawal.InitiatedBy.choices)
    letter_sent_on = forms.DateField(label=_("Registered letter sent on"), widget=DATE)
    letter_received_on = forms.DateField(label=_("Registered letter received on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory"].queryset = convention.signatories.filter(
            left_on__isnull=True, withdrawal__isnull=True
        ).select_related("partner", "convention")
        self.fields["signatory"].label_from_instance = lambda signatory: signatory.partner.name

    def clean(self):
        cleaned = super().clean()
        sent, received = cleaned.get("letter_sent_on"), cleaned.get("letter_received_on")
        if sent and received and received < sent:
            self.add_error("letter_received_on", _("The letter cannot be received before it was sent."))
        return cleaned


class SignedDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["article", "name", "short_name", "kind", "representative_title", "address", "logo"]


class RecipientForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Recipient of the data"), queryset=Partner.objects.none())

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.filter(signatures__convention=convention, signatures__left_on__isnull=True)
            .exclude(kind=Partner.Kind.DEPARTMENT)
            .exclude(receptions__convention=convention)
            .order_by("name")
        )
        self.fields["partner"].label_from_instance = lambda partner: partner.name


class NoticeForm(forms.Form):
    """A notice owed to the Département, as it arrived: typed from the e-mail, or its signed PDF attached."""

    notified_on = forms.DateField(label=_("Date of the notice"), widget=DATE)
    deleted_on = forms.DateField(label=_("Date of the deletion"), widget=DATE)
    bases_deleted = forms.CharField(
        label=_("Bases deleted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One base per line, as the notice details them. May stay empty if the signed notice is attached."
        ),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    signed_notice = forms.FileField(
        label=_("Signed notice (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, notice: DepartmentNotice, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_deletion = notice.kind == DepartmentNotice.Kind.DELETION
        if not self.is_deletion:
            del self.fields["deleted_on"]
            del self.fields["bases_deleted"]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("notified_on", "deleted_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("This date is in the future."))
        if self.is_deletion and not (
            cleaned.get("bases_deleted", "").strip() or cleaned.get("signed_notice")
        ):
            self.add_error(
                "bases_deleted", _("List the bases deleted, or attach the signed notice that details them.")
            )
        deleted_on, notified_on = cleaned.get("deleted_on"), cleaned.get("notified_on")
        if deleted_on and notified_on and notified_on < deleted_on:
            self.add_error("notified_on", _("The notice cannot come before the deletion it reports."))
        return cleaned


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "description", "representatives_per_partner"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Body.Kind.WORKING_GROUP and not cleaned.get("name"):
            self.add_error("name", _("Give the working group a name: its subject."))
        return cleaned


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    partner = forms.ModelChoiceField(
        label=_("Representing"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("The organisation the person sits for; empty for a qualified person."),
    )
    since = forms.DateField(label=_("Member since"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "email")
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.email})" if user.get_full_name() else user.email
        )
        self.fields["partner"].queryset = partner_choices()
        self.fields["partner"].label_from_instance = lambda partner: partner.name


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=300)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}))


class MinutesForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=BodyMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda membership: (
            f"{membership.user.get_full_name() or membership.user.email}"
            + (f" — {membership.partner.name}" if membership.partner else "")
        )


class MeetingDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    document = forms.FileField(
        label=_("Document (PDF)"),
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=Decision.Kind.choices)
    text = forms.CharField(label=_("Text of the decision"), widget=forms.Textarea(attrs={"rows": 4}))
