import re

from playwright.sync_api import expect

from tests.conventions.factories import ConventionFactory, PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content


def test_member_browses_conventions_and_partners(journey, member, partner):
    convention = ConventionFactory(reference="ODPE-2019", parties=[partner, PartnerFactory()])
    page = journey.page

    journey.sign_in(member)
    journey.menu("Conventions").click()
    journey.check("conventions", heading="Conventions")
    expect(page.get_by_role("table", name="Conventions")).to_contain_text(convention.title)

    page.get_by_role("link", name="ODPE-2019").click()
    journey.check("convention", heading=convention.title)
    expect(page.get_by_role("table", name="Parties à la convention ODPE-2019")).to_contain_text(partner.name)

    page.get_by_role("link", name=partner.name).click()
    journey.check("partner", heading=partner.name)
    expect(page.get_by_role("table", name="Conventions signées")).to_contain_text("ODPE-2019")

    page.get_by_role("navigation", name="Vous êtes ici").get_by_role("link", name="Partenaires").click()
    journey.check("partners", heading="Partenaires")
    expect(page.get_by_role("table", name="Partenaires de l’observatoire")).to_contain_text(partner.name)


def test_member_reads_the_published_dashboard_compares_two_years_and_downloads_the_pdf(
    journey, member, partner
):
    with_logo = PartnerFactory(with_logo=True, name="Tribunal judiciaire de Saint-Étienne", short_name="TJ")
    for year in (2022, 2023):
        DashboardVersionFactory(
            published=True,
            number=1,
            data_year=year,
            content=sample_content(partner, with_logo, data_year=year),
        )
    page = journey.page

    journey.sign_in(member)
    journey.menu("Tableaux de bord publiés").click()
    journey.check("published-dashboards", heading="Tableaux de bord publiés")

    page.get_by_role("link", name="Lire le tableau de bord 2023").click()
    journey.check("dashboard-2023", heading="Tableau de bord annuel 2023")
    expect(
        page.get_by_role("table", name=re.compile("les chiffres de 2023 en un coup d’œil"))
    ).to_contain_text(partner.short_name)
    contributors = page.get_by_role("region", name="Contributeurs")
    expect(contributors.get_by_role("img", name=f"Logo de {with_logo.name}")).to_be_visible()

    page.get_by_role("link", name="Graphiques, évolutions et répartitions : Enfants en danger").click()
    journey.check("section", heading="Enfants en danger")
    charts = page.get_by_role("img", name=re.compile(r"au fil des années$"))
    expect(charts.first).to_be_visible()
    assert charts.count() == 2  # per figure, its years as a line
    maps = page.get_by_role("group", name=re.compile(r"par territoire en 2023 : carte$"))
    assert maps.count() == 2  # per figure, its territories (a tile map: no shapes were uploaded)
    expect(maps.first.get_by_role("img", name=re.compile(r"^\w+ : \d+$")).first).to_be_visible()
    expect(page.get_by_text(f"Source : {partner.name}").first).to_be_visible()
    page.get_by_role("navigation", name="Vous êtes ici").get_by_role("link", name="2023, version 1").click()

    page.get_by_role("link", name="Comparer avec une autre année").click()
    journey.check("compare", heading="Comparer deux années")
    expect(page.get_by_role("table").first).to_contain_text("2022")

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "tableau-de-bord-odpe-loire-2023-v1.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
