"""The 2023 annual report: the referent composes it on the published dashboard, previews it, gets the
consent of the source whose figures it cites, publishes it; a member reads it and downloads its PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content
from tests.dashboards.test_report_pdf import structure


@pytest.fixture
def dashboard(partner, referent):
    """The 2023 dashboard, published for members: the correspondent's partner's figure and another's."""
    return DashboardVersionFactory(
        published=True, created_by=referent, content=sample_content(partner, PartnerFactory())
    )


def test_the_referent_composes_the_annual_report_and_a_member_reads_it(
    journey, second_page, dashboard, partner, referent, correspondent, member
):
    page = journey.page
    journey.sign_in(referent)
    journey.menu("Rapports annuels").click()
    journey.check("reports", heading="Rapports annuels")
    page.get_by_role("button", name="Commencer le rapport").click()
    journey.check("report-started", heading="Rapport annuel 2023")

    # Commentary in Markdown, then a chapter citing one figure of the published dashboard.
    page.get_by_role("link", name="Modifier le chapitre « Introduction »").click()
    page.get_by_label("Texte").fill(
        "# Faits marquants\n\nLe nombre d’enfants suivis **augmente** en 2023.\n\n## Les territoires\n"
    )
    journey.check("introduction", heading="Chapitre « Introduction »")
    page.get_by_role("button", name="Enregistrer le chapitre").click()
    page.get_by_role("link", name="Chiffres du tableau de bord").click()
    page.get_by_label("Intitulé").fill("Les enfants suivis")
    page.get_by_label(re.compile(rf"Enfants suivis \({partner.short_name}\)")).check()
    journey.check("figures-chapter", heading="Nouveau chapitre")
    page.get_by_role("button", name="Enregistrer le chapitre").click()
    expect(page.get_by_role("main")).to_contain_text("Chapitre ajouté.")
    page.get_by_role("button", name="Monter le chapitre « Les enfants suivis »").click()

    # The preview: as members will read it, figures masked and sourced, contents from the headings.
    page.get_by_role("button", name="Le passer en aperçu").click()
    page.get_by_role("link", name="Le lire comme les membres").click()
    journey.check("preview", heading="Rapport annuel 2023")
    contents = page.get_by_role("navigation", name="Sommaire")
    expect(contents.get_by_role("link", name="Les territoires")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("secret statistique")
    expect(page.get_by_role("main")).to_contain_text(f"Source : {partner.name}")
    page.go_back()
    page.get_by_role("button", name="Demander l’accord des sources").click()
    journey.check("awaiting-consent", heading="Rapport annuel 2023")
    expect(page.get_by_role("table", name=re.compile("Une demande par source"))).to_contain_text(
        "En attente de réponse"
    )

    # The source's correspondent reads its figure and the commentary around it, and consents.
    referent_page, journey.page = page, second_page
    journey.sign_in(correspondent)
    journey.menu("Demandes d’accord").click()
    second_page.get_by_role("link", name=re.compile("Rapport annuel 2023")).click()
    journey.check("consent", heading="Rapport annuel 2023 : votre accord")
    expect(second_page.get_by_role("main")).to_contain_text("Le nombre d’enfants suivis augmente en 2023.")
    second_page.get_by_label("Nous donnons notre accord à la publication de ces chiffres").check()
    second_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(second_page.get_by_role("main")).to_contain_text("Accord donné")
    second_page.locator(".account-menu > summary").click()
    second_page.get_by_role("button", name="Se déconnecter").click()

    # The referent publishes; the PDF is made in the background.
    journey.page = referent_page
    referent_page.reload()
    expect(referent_page.locator(".badge--approved").first).to_be_visible()
    referent_page.get_by_role("button", name="Publier le rapport").click()
    journey.check("published", heading="Rapport annuel 2023")
    expect(referent_page.locator(".badge--published")).to_be_visible()

    # A member finds it among the published dashboards, reads it and downloads its PDF.
    journey.page = second_page
    journey.sign_in(member)
    journey.menu("Tableaux de bord publiés").click()
    second_page.get_by_role("link", name="Les rapports annuels").click()
    journey.check("published-reports", heading="Rapports annuels")
    second_page.get_by_role("link", name="Rapport annuel 2023").click()
    journey.check("member-reads", heading="Rapport annuel 2023")
    main = second_page.get_by_role("main")
    expect(main).to_contain_text("Faits marquants")
    expect(main).to_contain_text("secret statistique")
    # The cited figure's charts, drawn on the server and in the screenshot: its trend as a line, its
    # territories on a map (tiles: no shapes were uploaded).
    expect(main.get_by_role("img", name=re.compile(r"au fil des années$"))).to_be_visible()
    expect(main.get_by_role("group", name=re.compile(r"par territoire en 2023 : carte$"))).to_be_visible()
    with second_page.expect_download() as download:
        second_page.get_by_role("link", name="Télécharger le rapport (PDF accessible)").click()
    pdf = PdfReader(download.value.path())
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    charts = [str(alt) for tag, alt in structure(pdf.trailer["/Root"]["/StructTreeRoot"]) if tag == "/Figure"]
    assert any(alt.endswith("au fil des années") for alt in charts)
    assert any(alt.endswith("carte") for alt in charts)
    text = " ".join("\n".join(pdf_page.extract_text() for pdf_page in pdf.pages).split())
    assert f"Source : {partner.name}" in text
    assert "secret statistique" in text
