"""Each role's day starts from its home's task list and ends with the task gone from it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.models import ConsentRequest
from odpe.accounts.roles import Role
from odpe.accounts.services import add_correspondent, grant_role, invite_person
from odpe.audit import Actor
from tests.dashboards.factories import ConsentRequestFactory
from tests.e2e.conftest import french_date
from tests.uploads.factories import CampaignFactory, TableRequirementFactory, xlsx_bytes, xlsx_upload
from uploads import services as upload_services
from uploads.models import Submission

FIGURES = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]
RETURN_COMMENT = (
    "Le total du Forez ne correspond pas à la somme des lignes.\n"
    "Merci de reprendre la ligne 3 avant de renvoyer le tableau."
)


@pytest.fixture
def owed(partner):
    """The 2025 table the partner owes."""
    partner.article = "la"
    partner.save(update_fields=["article"])
    requirement = TableRequirementFactory(partner=partner, spec__title="Enfants confiés")
    campaign = CampaignFactory(data_year=2025)
    upload_services.open_submissions(campaign)
    return Submission.objects.get(campaign=campaign, spec=requirement.spec)


def header_fits_on_one_row(page) -> None:
    """At 1280 px the header bar and the main menu each hold on one row."""
    tops = page.evaluate(
        """() => [...document.querySelectorAll('.main-nav > ul > li')].map(li => li.getBoundingClientRect().top)"""
    )
    assert len(set(tops)) == 1, f"the main menu wraps: {tops}"
    brand, tools = page.evaluate(
        """() => ['.brand', '.site-tools'].map(s => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert abs(brand - tools) < 40, "the account menu went under the observatory's name"
    menu, item = page.evaluate(
        """() => ['.main-nav > ul', '.main-nav > ul > li'].map(s => document.querySelector(s).offsetHeight)"""
    )
    assert menu < 1.5 * item, f"the menu is {menu} px high for items of {item} px: it holds more than one row"


def task_list(page, title):
    return page.get_by_role("list", name=re.compile(title))


def test_correspondent_sends_the_owed_table_from_the_home(journey, correspondent, owed, tmp_path):
    page = journey.page
    journey.sign_in(correspondent)
    journey.check("correspondent-home", heading="Bonjour")
    header_fits_on_one_row(page)
    owed_tables = task_list(page, "Tableaux à envoyer")
    expect(owed_tables).to_contain_text("Enfants confiés de la CAF, données 2025")
    expect(owed_tables).to_contain_text("Échéance")

    owed_tables.get_by_role("link", name=re.compile("Enfants confiés")).click()
    journey.check("submission", heading="Enfants confiés")
    path = tmp_path / "tableau.xlsx"
    path.write_bytes(xlsx_bytes(FIGURES))
    page.get_by_label("Classeur Excel (.xlsx)").set_input_files(path)
    page.get_by_label("Je confirme que mon institution a validé ces chiffres avant leur envoi.").check()
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("le référent ODPE va maintenant examiner le tableau")

    journey.menu("Accueil").click()
    journey.check("correspondent-home-after", heading="Bonjour")
    expect(page.get_by_role("main")).to_contain_text("Rien ne vous attend.")
    expect(task_list(page, "Tableaux à envoyer")).to_have_count(0)


def test_correspondent_sends_a_corrected_table_after_a_return_from_the_home(
    journey, correspondent, referent, owed, tmp_path
):
    version = upload_services.receive_upload(
        owed, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(), attested=True
    )
    upload_services.return_version(version, actor=Actor(user=referent), comment=RETURN_COMMENT)
    page = journey.page
    journey.sign_in(correspondent)
    journey.check("correspondent-home-returned", heading="Bonjour")
    returned = task_list(page, "Tableaux qui vous sont renvoyés")
    expect(returned).to_contain_text("Le total du Forez ne correspond pas à la somme des lignes.")
    expect(returned).to_contain_text("Merci de reprendre la ligne 3 avant de renvoyer le tableau.")

    returned.get_by_role("link", name=re.compile("Enfants confiés")).click()
    journey.check("returned-table", heading="Enfants confiés")
    expect(page.get_by_role("note")).to_contain_text("Renvoyée pour correction")
    expect(page.get_by_role("note")).to_contain_text("Merci de reprendre la ligne 3")
    path = tmp_path / "tableau-corrige.xlsx"
    path.write_bytes(xlsx_bytes(FIGURES))
    page.get_by_label("Classeur Excel (.xlsx)").set_input_files(path)
    page.get_by_label("Je confirme que mon institution a validé ces chiffres avant leur envoi.").check()
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        "le référent ODPE va maintenant examiner le tableau"
    )

    journey.menu("Accueil").click()
    journey.check("correspondent-home-after", heading="Bonjour")
    expect(task_list(page, "Tableaux qui vous sont renvoyés")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Rien ne vous attend.")


def test_correspondent_answers_a_consent_request_from_the_home(journey, correspondent, partner):
    due_on = timezone.localdate() + timedelta(days=10)
    ConsentRequestFactory(partner=partner, due_on=due_on)
    page = journey.page
    journey.sign_in(correspondent)
    journey.check("correspondent-home-consent", heading="Bonjour")
    consents = task_list(page, "Demandes d’accord auxquelles répondre")
    expect(consents).to_contain_text(f"Échéance : {french_date(due_on)}")

    consents.get_by_role("link").first.click()
    journey.check("consent-request", heading="votre accord")
    expect(page.get_by_role("main")).to_contain_text(french_date(due_on))
    page.get_by_label("Nous donnons notre accord à la publication de ces chiffres").check()
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Votre réponse est enregistrée")

    journey.menu("Accueil").click()
    journey.check("correspondent-home-after", heading="Bonjour")
    expect(task_list(page, "Demandes d’accord auxquelles répondre")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Rien ne vous attend.")


def test_referent_follows_a_refused_consent_from_the_home_and_leaves_the_source_out(
    journey, referent, partner
):
    ConsentRequestFactory(
        partner=partner, status=ConsentRequest.Status.REFUSED, reason="Chiffres encore provisoires."
    )
    page = journey.page
    journey.sign_in(referent)
    journey.check("referent-home-consent", heading="Bonjour")
    to_follow = task_list(page, "Accords en attente ou refusés")
    expect(to_follow).to_contain_text("Refusé : Chiffres encore provisoires.")

    to_follow.get_by_role("link").first.click()
    journey.check("dashboard-awaiting-consent", heading="Tableau de bord 2023")
    page.get_by_role("button", name=re.compile("^Retirer .* du tableau de bord$")).click()
    expect(page.locator(".messages")).to_contain_text("ses chiffres ne seront pas publiés")

    journey.menu("Accueil").click()
    journey.check("referent-home-after", heading="Bonjour")
    expect(task_list(page, "Accords en attente ou refusés")).to_have_count(0)


def test_referent_accepts_the_table_waiting_for_review_from_the_home(journey, referent, correspondent, owed):
    upload_services.receive_upload(
        owed, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(), attested=True
    )
    page = journey.page
    journey.sign_in(referent)
    journey.check("referent-home", heading="Bonjour")
    header_fits_on_one_row(page)
    to_review = task_list(page, "Tableaux à examiner")
    expect(to_review).to_contain_text("Enfants confiés de la CAF, données 2025")
    expect(task_list(page, "Collecte en cours")).to_contain_text("0 tableau accepté sur 1")

    to_review.get_by_role("link").first.click()
    journey.check("version-to-review")
    page.get_by_role("button", name="Accepter ce tableau").click()
    expect(page.locator(".version-status")).to_contain_text("Acceptée")

    journey.menu("Accueil").click()
    journey.check("referent-home-after", heading="Bonjour")
    expect(task_list(page, "Tableaux à examiner")).to_have_count(0)
    expect(task_list(page, "Collecte en cours")).to_contain_text("1 tableau accepté sur 1")


def test_admin_revokes_a_forgotten_invitation_from_the_home(journey, admin_user):
    invite_person("oubliee@example.org", Role.MEMBER, actor=Actor(user=admin_user))
    page = journey.page
    journey.sign_in(admin_user)
    journey.check("admin-home", heading="Bonjour")
    header_fits_on_one_row(page)
    invitations = task_list(page, "Invitations pas encore acceptées")
    expect(invitations).to_contain_text("oubliee@example.org")

    invitations.get_by_role("link").first.click()
    journey.check("invitations", heading="Invitations")
    page.get_by_role("button", name=re.compile("Révoquer")).first.click()
    expect(page.get_by_role("status")).to_contain_text("révoquée")

    journey.menu("Accueil").click()
    journey.check("admin-home-after", heading="Bonjour")
    expect(task_list(page, "Invitations pas encore acceptées")).to_have_count(0)


def test_a_person_holding_every_role_finds_a_section_per_role_under_a_header_on_one_row(
    journey, admin_user, partner
):
    for role in (Role.REFERENT, Role.MEMBER):
        grant_role(admin_user, role, actor=Actor.platform())
    add_correspondent(admin_user, partner, actor=Actor.platform())
    page = journey.page
    journey.sign_in(admin_user)
    journey.check("every-role-home", heading="Bonjour")
    header_fits_on_one_row(page)
    sections = page.get_by_role("main").get_by_role("heading", level=2)
    expect(sections).to_contain_text(
        [
            "En tant que correspondant",
            "En tant que référent de l’ODPE",
            "En tant que membre",
            "En tant qu’administrateur",
            "Activité récente",
        ]
    )


def test_member_reads_the_home_and_opens_the_account_menu(journey, member):
    page = journey.page
    journey.sign_in(member)
    journey.check("member-home", heading="Bonjour")
    header_fits_on_one_row(page)
    expect(page.get_by_role("main")).to_contain_text("Rien ne vous attend.")
    expect(journey.menu("Documents")).to_be_visible()

    page.locator(".account-menu > summary").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_label("Langue")).to_be_visible()
    journey.check("account-menu")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
