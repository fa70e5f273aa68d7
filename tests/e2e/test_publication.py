"""The 2023 dashboard from the demo's accepted tables: generated, consented by one source, refused by
another (left out), published, then read by a member."""

import re

import pytest
from django.test.utils import override_settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from conventions.demo import DEMO_PASSWORD, seed_demo
from dashboards.demo import seed_territory_shapes
from odpe.accounts.models import User
from tests.dashboards.test_report_pdf import structure
from uploads.demo import seed_collection


@pytest.fixture
def demo(db):
    """The demo data, as `make demo` loads it: 2020 to 2024 tables accepted, with observations, and the
    territories' shapes."""
    today = timezone.localdate()
    seed_demo(today)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        seed_collection(today)
    seed_territory_shapes()
    return {
        account: User.objects.get(email=f"{account}@odpe-demo.fr")
        for account in (
            "referent",
            "correspondant.caf",
            "correspondant.chu",
            "correspondant.departement",
            "membre",
        )
    }


def test_the_2023_dashboard_goes_from_generation_to_publication_with_each_sources_consent(
    journey, second_page, demo
):
    page = journey.page
    journey.sign_in(demo["referent"], DEMO_PASSWORD)
    journey.menu("Tableaux de bord").click()
    journey.check("dashboards", heading="Tableaux de bord annuels")
    page.get_by_label("Année des données").fill("2023")
    page.get_by_role("button", name="Générer le tableau de bord").click()
    journey.check("generated", heading="Tableau de bord 2023, version 1")
    expect(page.get_by_role("status").filter(has_text="Généré le")).to_be_visible()
    expect(page.get_by_text("Aperçu interne — à ne pas diffuser")).to_be_visible()
    page.get_by_role("button", name="Le passer en relecture").click()
    page.get_by_role("button", name="Demander l’accord des sources").click()
    journey.check("awaiting-consent")
    expect(page.get_by_role("table", name=re.compile("Une demande par source"))).to_contain_text(
        "En attente de réponse"
    )

    # The hospital's correspondent sees its figures as they will be published, and consents.
    referent_page, journey.page = page, second_page
    journey.sign_in(demo["correspondant.chu"], DEMO_PASSWORD)
    journey.menu("Demandes d’accord").click()
    journey.check("consent-requests", heading="Demandes d’accord")
    second_page.get_by_role("link", name=re.compile("Tableau de bord 2023")).click()
    journey.check("chu-consent", heading="Tableau de bord 2023 : votre accord")
    expect(second_page.get_by_role("main")).to_contain_text("Enfants reçus en UAPED")
    expect(second_page.get_by_role("main")).to_contain_text("secret statistique")
    second_page.get_by_label("Nous donnons notre accord à la publication de ces chiffres").check()
    second_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(second_page.get_by_role("main")).to_contain_text("Accord donné")
    second_page.locator(".account-menu > summary").click()
    second_page.get_by_role("button", name="Se déconnecter").click()

    # The Département's correspondent consents to its children in care, its population and their rate.
    journey.sign_in(demo["correspondant.departement"], DEMO_PASSWORD)
    journey.menu("Demandes d’accord").click()
    second_page.get_by_role("link", name=re.compile("Tableau de bord 2023")).click()
    expect(second_page.get_by_role("main")).to_contain_text("Enfants confiés pour 1 000 jeunes de 0 à 20 ans")
    second_page.get_by_label("Nous donnons notre accord à la publication de ces chiffres").check()
    second_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(second_page.get_by_role("main")).to_contain_text("Accord donné")
    second_page.locator(".account-menu > summary").click()
    second_page.get_by_role("button", name="Se déconnecter").click()

    # The family-allowance fund's correspondent refuses, with a reason.
    journey.sign_in(demo["correspondant.caf"], DEMO_PASSWORD)
    journey.menu("Demandes d’accord").click()
    second_page.get_by_role("link", name=re.compile("Tableau de bord 2023")).click()
    second_page.get_by_label("Nous refusons").check()
    second_page.get_by_label("Motif du refus").fill("Nos chiffres 2023 sont en cours de révision.")
    second_page.get_by_role("button", name="Envoyer la réponse").click()
    journey.check("caf-refused")
    expect(second_page.get_by_role("main")).to_contain_text("Refusé")

    # The referent leaves the fund out, and publishes.
    journey.page = referent_page
    referent_page.reload()
    expect(referent_page.get_by_role("main")).to_contain_text("Nos chiffres 2023 sont en cours de révision.")
    referent_page.get_by_role("button", name=re.compile("Retirer .* du tableau de bord")).click()
    expect(referent_page.locator(".badge--approved")).to_be_visible()
    referent_page.get_by_role("link", name="Publier", exact=True).click()
    journey.check("publish", heading="Publier")
    referent_page.get_by_role("button", name="Publier", exact=True).click()
    journey.check("published", heading="Tableau de bord 2023, version 1")
    expect(referent_page.locator(".badge--published")).to_be_visible()

    # A member of the observatory's bodies reads it, and downloads the PDF.
    referent_page.locator(".account-menu > summary").click()
    referent_page.get_by_role("button", name="Se déconnecter").click()
    journey.sign_in(demo["membre"], DEMO_PASSWORD)
    journey.menu("Tableaux de bord publiés").click()
    referent_page.get_by_role("link", name="Lire le tableau de bord 2023").click()
    journey.check("member-reads-2023", heading="Tableau de bord annuel 2023")
    main = referent_page.get_by_role("main")
    expect(main).to_contain_text("Enfants reçus en UAPED")
    expect(main).to_contain_text("à la demande de la source")  # the fund, left out, is named
    expect(main).not_to_contain_text("Familles allocataires")
    referent_page.get_by_role(
        "link", name="Graphiques, évolutions et répartitions : Enfants en danger"
    ).click()
    journey.check("member-reads-a-section", heading="Enfants en danger")
    expect(main).to_contain_text("Source : Centre Hospitalier Universitaire de Saint-Etienne")
    expect(main).to_contain_text("secret statistique")
    expect(
        main.get_by_role("img", name=re.compile(r", par tranche d’âge$")).first
    ).to_be_visible()  # grouped bars
    referent_page.go_back()

    # The Département's rate per 1,000, on the territories' map beside its table; each territory is
    # reached with the keyboard and named with its value.
    referent_page.get_by_role(
        "link", name="Graphiques, évolutions et répartitions : Protection judiciaire"
    ).click()
    journey.check("member-reads-rates-and-map", heading="Protection judiciaire")
    expect(main).to_contain_text("Enfants confiés pour 1 000 jeunes de 0 à 20 ans")
    expect(main).to_contain_text(
        "Taux pour 1 000 : Enfants confiés à l'ASE divisé par Population des 0-20 ans."
    )
    forez = main.get_by_role("img", name=re.compile(r"^Forez : \d+,\d ‰$")).first
    forez.focus()
    expect(forez).to_be_focused()
    expect(
        main.get_by_role("img", name=re.compile(r"chaque territoire au fil des années$")).first
    ).to_be_visible()
    referent_page.go_back()
    with referent_page.expect_download() as download:
        referent_page.get_by_role("link", name="PDF").click()
    pdf = PdfReader(download.value.path())
    text = "\n".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "Source : Centre Hospitalier Universitaire de Saint-Etienne" in " ".join(text.split())
    assert "secret statistique" in text
    assert "Familles allocataires" not in text
    # The page's charts, each a tagged figure named by its title: lines, bars, small multiples, maps.
    charts = [str(alt) for tag, alt in structure(pdf.trailer["/Root"]["/StructTreeRoot"]) if tag == "/Figure"]
    for kind in ("au fil des années", ", par tranche d’âge", "chaque territoire au fil des années", "carte"):
        assert any(alt.endswith(kind) for alt in charts), kind
