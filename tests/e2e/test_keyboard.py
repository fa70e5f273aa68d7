"""Keyboard only: Tab to move, typing to fill, Enter and Space to act. Each element focused on the
way must show where the focus is (Journey.tab_to checks it)."""

import re

from playwright.sync_api import expect

from odpe.accounts.models import Invitation
from odpe.accounts.roles import Role
from tests.accounts.factories import PASSWORD


def test_admin_signs_in_and_invites_a_correspondent_with_the_keyboard_only(journey, admin_user, partner):
    page = journey.page
    journey.visit("/accounts/login/", "sign-in", heading="Se connecter")

    stops = journey.tab_to(page.get_by_label("Courriel"))
    assert stops[0] == "a Aller au contenu principal"
    page.keyboard.type(admin_user.email)
    assert journey.tab_to(page.get_by_label("Mot de passe")) == ["input Mot de passe :"]
    page.keyboard.type(PASSWORD)
    assert journey.tab_to(page.get_by_role("button", name="Se connecter")) == [
        "a Mot de passe oublié ?",
        "button Se connecter",
    ]
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    journey.tab_to(page.get_by_label("Code"))
    page.keyboard.type(journey.authenticator_code(admin_user))
    page.keyboard.press("Enter")
    journey.expect_heading("Bonjour")

    # The administration's pages are a group of the menu: Enter opens it, Tab reaches its links.
    journey.tab_to(page.locator(".main-nav summary", has_text="Administration"))
    page.keyboard.press("Enter")
    journey.tab_to(journey.menu("Invitations"))
    page.keyboard.press("Enter")
    journey.check("invitations", heading="Invitations")

    # The skip link leads past the header and the menu, straight to the form.
    assert journey.tab_to(page.get_by_role("link", name="Aller au contenu principal")) == [
        "a Aller au contenu principal"
    ]
    page.keyboard.press("Enter")
    assert journey.tab_to(page.get_by_label("Adresse électronique")) == [
        "input Adresse électronique (obligatoire)"
    ]
    page.keyboard.type("nouveau.correspondant@example.org")
    assert journey.tab_to(page.get_by_label("Rôle")) == ["select Rôle (obligatoire)"]
    page.keyboard.type("Correspondant")
    expect(page.get_by_label("Rôle")).to_have_value(Role.CORRESPONDENT)
    journey.tab_to(page.get_by_role("listbox", name="Partenaires"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("listbox", name="Partenaires")).to_have_values([str(partner.pk)])
    journey.tab_to(page.get_by_role("button", name="Envoyer l’invitation"))
    page.keyboard.press("Space")

    expect(page.get_by_role("status")).to_contain_text(
        "Invitation envoyée à nouveau.correspondant@example.org."
    )
    journey.check("invitation-sent")
    invitation = Invitation.objects.get()
    assert (invitation.role, list(invitation.partners.all())) == (Role.CORRESPONDENT, [partner])
