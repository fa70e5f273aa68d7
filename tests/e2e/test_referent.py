import re

from playwright.sync_api import expect

from odpe.accounts.models import User
from odpe.accounts.roles import Role, roles_of
from odpe.accounts.services import invite_person
from odpe.audit import Actor
from tests.accounts.factories import PASSWORD


def test_referent_accepts_the_invitation_sets_a_password_enrols_totp_and_reaches_home(
    journey, admin_user, mailoutbox
):
    invite_person("romane.referente@example.org", Role.REFERENT, actor=Actor(user=admin_user))
    link = re.search(r"https?://\S+/invitations/accept/\S+/", mailoutbox[0].body).group()
    page = journey.page

    journey.visit(link, "invitation", heading="Créez votre compte")
    expect(page.get_by_role("main")).to_contain_text("Référent ODPE")
    page.get_by_label("Prénom (obligatoire)", exact=True).fill("Romane")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Référente")
    page.get_by_role("textbox", name=re.compile(r"^Mot de passe \(obligatoire\)")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    # The second factor is mandatory: the platform asks for the password again, then for the app.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    journey.check("confirm-password")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    journey.check("activate-totp")
    secret = page.get_by_label("Secret d'authentification").input_value()
    page.get_by_label("Code de l'authentificateur").fill(journey.authenticator_code(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    journey.check("recovery-codes")

    journey.menu("Accueil").click()
    journey.check("home", heading="Bonjour Romane")
    referent = User.objects.get(email="romane.referente@example.org")
    assert roles_of(referent) == {Role.REFERENT}
