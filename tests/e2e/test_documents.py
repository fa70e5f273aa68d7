"""The documents library in a real browser: shared by a partner, validated by the referent, read by a member."""

import re

from playwright.sync_api import expect

from dashboards.models import Document
from tests.dashboards.factories import PDF_BYTES

TITLE = "Parcours des enfants accueillis en famille d’accueil"


def test_a_correspondent_shares_a_pdf_the_referent_validates_it_and_a_member_downloads_it(
    journey, second_page, correspondent, referent, member, partner, tmp_path
):
    study = tmp_path / "Étude accueil familial.pdf"
    study.write_bytes(PDF_BYTES)
    page = journey.page

    # The correspondent shares the study for their institution.
    journey.sign_in(correspondent)
    journey.menu("Documents").click()
    journey.check("library-correspondent", heading="Bibliothèque de documents")
    page.get_by_role("link", name="Partager un document").click()
    journey.check("share", heading="Partager un document")
    expect(page.get_by_label("Partagé par")).to_have_value(str(partner.pk))
    page.get_by_label("Intitulé").fill(TITLE)
    page.get_by_label("Résumé").fill("Durées de placement et retours en famille, 2019-2024.")
    page.get_by_label("Date du document").fill("2025-03-14")
    page.get_by_label("Fichier (PDF, .docx, .xlsx, .odt ou .ods)").set_input_files(study)
    page.get_by_role("button", name="Envoyer le document").click()
    journey.check("shared", heading=TITLE)
    expect(page.get_by_role("status")).to_contain_text("Document reçu")
    expect(page.get_by_role("main")).to_contain_text("En attente de validation")

    # The referent validates it, in a browser of their own.
    journey.page = second_page
    journey.sign_in(referent)
    journey.menu("Documents à valider").click()
    journey.check("queue", heading="Documents à valider")
    second_page.get_by_role("link", name=TITLE).click()
    journey.check("to-validate", heading=TITLE)
    second_page.get_by_role("button", name="Valider et mettre en ligne").click()
    journey.check("validated", heading=TITLE)
    expect(second_page.get_by_role("status")).to_contain_text("Document en ligne")
    assert Document.objects.get().status == Document.Status.VALIDATED

    # A member finds it on the extranet and downloads it.
    journey.page = page
    page.locator(".account-menu > summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    journey.sign_in(member)
    journey.menu("Extranet").click()
    journey.check("extranet", heading="Extranet")
    expect(page.get_by_role("region", name="Derniers documents")).to_contain_text(TITLE)
    page.get_by_role("link", name="Rechercher dans toute la bibliothèque de documents").click()
    journey.check("library-member", heading="Bibliothèque de documents")
    page.get_by_label("Mots du titre").fill("famille d’accueil")
    page.get_by_label("Partagé par").select_option(label=partner.name)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    journey.check("search")
    results = page.get_by_role("table", name="Documents en ligne, les plus récents d’abord")
    expect(results).to_contain_text(TITLE)
    expect(results).to_contain_text("14 mars 2025")

    with page.expect_download() as download:
        results.get_by_role("link", name=re.compile(f"Télécharger {re.escape(TITLE)}")).click()
    assert download.value.suggested_filename == "Étude accueil familial.pdf"
    assert download.value.path().read_bytes() == PDF_BYTES
