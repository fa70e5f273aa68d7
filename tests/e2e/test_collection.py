"""The yearly collection in a real browser: a correspondent sends a table, the referent reviews it."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory
from uploads.exports import partner_template
from uploads.models import SubmissionVersion

# The default spec: Territoire, Filles, Garçons, Total (= Filles + Garçons), one row per territory.
FIGURES = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]


@pytest.fixture
def submission(partner):
    requirement = TableRequirementFactory(partner=partner)
    return SubmissionFactory(campaign=CampaignFactory(data_year=2025), partner=partner, spec=requirement.spec)


def fill(template, rows, destination):
    """What the partner does in their spreadsheet: type the figures under the header row."""
    workbook = load_workbook(template)
    sheet = workbook["Enfants"]
    for row in rows:
        sheet.append(row)
    workbook.save(destination)
    return destination


def send(journey, path, step):
    page = journey.page
    page.get_by_label("Classeur Excel (.xlsx)").set_input_files(path)
    page.get_by_label("Je confirme que mon institution a validé ces chiffres avant leur envoi.").check()
    page.get_by_role("button", name="Envoyer", exact=True).click()
    # The result replaces the form without a reload, once the checks are done.
    expect(page.get_by_role("status").filter(has_text="contrôles")).to_be_visible()
    journey.check(step)


def test_correspondent_sends_a_table_fixes_it_and_the_referent_returns_then_accepts_it(
    journey, second_page, correspondent, referent, submission, tmp_path
):
    page = journey.page
    journey.sign_in(correspondent)
    journey.menu("Collecte des données").click()
    journey.check("collection", heading="Collecte des données")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le modèle de CAF")).click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "odpe-2025-CAF.xlsx"

    page.get_by_role("link", name=re.compile("Envoyer ce tableau")).click()
    journey.check("submission", heading=submission.spec.title)
    send(
        journey,
        fill(template, [["Forez", 12, "douze", 22], *FIGURES[1:]], tmp_path / "tableau.xlsx"),
        "faulty",
    )
    errors = page.get_by_role("table", name=re.compile("erreur"))
    expect(errors).to_contain_text("C2")
    expect(errors).to_contain_text("n'est pas un nombre entier")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger la copie annotée")).click()
    # Playwright names downloads without an extension, which openpyxl refuses.
    annotated = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert "n'est pas un nombre entier" in annotated["Enfants"]["C2"].comment.text
    assert "Rapport" in annotated.sheetnames

    page.get_by_role("link", name="Collecte des données").first.click()
    page.get_by_role("link", name=re.compile("Envoyer ce tableau")).click()
    send(journey, fill(template, FIGURES, tmp_path / "tableau-corrige.xlsx"), "fixed")
    expect(page.get_by_role("status")).to_contain_text("le référent ODPE va maintenant examiner le tableau")

    # The referent, in a browser of their own.
    referent_page = journey.page = second_page
    journey.sign_in(referent)
    journey.menu("À examiner").click()
    journey.check("review-queue", heading="Tableaux à examiner")
    referent_page.get_by_role("link", name=re.compile("version 2")).click()
    journey.check("version-to-review")
    expect(referent_page.get_by_role("table", name=re.compile("Chiffres envoyés"))).to_contain_text(
        "Roannais"
    )
    referent_page.get_by_role("link", name="Le renvoyer au partenaire avec un commentaire").click()
    journey.check("return", heading="Renvoyer")
    referent_page.get_by_label("Que doit corriger le partenaire").fill(
        "Le total du Forez paraît bas : vérifiez-le."
    )
    referent_page.get_by_role("button", name="Renvoyer le tableau").click()
    expect(referent_page.locator(".version-status")).to_contain_text("Renvoyée au partenaire")

    # The correspondent sees the comment, sends the confirmed figures again; the referent accepts.
    journey.page = page
    page.reload()
    page.get_by_role("link", name="Collecte des données").first.click()
    page.get_by_role("link", name=re.compile("Envoyer ce tableau")).click()
    expect(page.get_by_role("main")).to_contain_text("Le total du Forez paraît bas")
    send(journey, tmp_path / "tableau-corrige.xlsx", "sent-again")

    journey.page = referent_page
    journey.menu("À examiner").click()
    referent_page.get_by_role("link", name=re.compile("version 3")).click()
    # The corrected figures stand beside those of the returned version.
    expect(referent_page.get_by_role("table", name=re.compile("Chiffres envoyés"))).to_contain_text(
        "Version 2"
    )
    referent_page.get_by_role("button", name="Accepter ce tableau").click()
    journey.check("accepted")
    expect(referent_page.locator(".version-status")).to_contain_text("Acceptée")
    assert submission.versions.get(number=3).status == SubmissionVersion.Status.ACCEPTED


def test_upload_and_review_work_with_the_keyboard_alone(
    journey, second_page, correspondent, referent, submission, tmp_path
):
    path = tmp_path / "tableau.xlsx"
    workbook = load_workbook(BytesIO(partner_template(submission.campaign, submission.partner)))
    for row in FIGURES:
        workbook["Enfants"].append(row)
    workbook.save(path)
    page = journey.page
    journey.sign_in(correspondent)
    journey.visit(submission.get_absolute_url(), "submission", heading=submission.spec.title)

    file_input = page.get_by_label("Classeur Excel (.xlsx)")
    journey.tab_to(file_input)
    journey.choose_file_with_the_keyboard(path)
    journey.tab_to(
        page.get_by_label("Je confirme que mon institution a validé ces chiffres avant leur envoi.")
    )
    page.keyboard.press("Space")
    journey.tab_to(page.get_by_role("button", name="Envoyer", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("le référent ODPE va maintenant examiner le tableau")

    referent_page = journey.page = second_page
    journey.sign_in(referent)
    version = submission.versions.get()
    journey.visit(version.get_absolute_url(), "version-to-review")
    journey.tab_to(referent_page.get_by_role("button", name="Accepter ce tableau"))
    referent_page.keyboard.press("Enter")
    expect(referent_page.locator(".version-status")).to_contain_text("Acceptée")
