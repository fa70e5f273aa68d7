from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from odpe.accounts.roles import Role


class InvitationForm(forms.Form):
    """The partners offered come from the view (`odpe.roof.views.invitation_list`): the accounts sit on
    the ground floor, below the conventions that hold the partners."""

    email = forms.EmailField(label=_("E-mail address"))
    # No preselected role: inviting an administrator must be a deliberate choice.
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners (for a correspondent)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners
        self.fields["partners"].label_from_instance = lambda partner: partner.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.CORRESPONDENT and not cleaned.get("partners"):
            self.add_error("partners", _("Choose the partner(s) this correspondent acts for."))
        return cleaned


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            try:
                validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
