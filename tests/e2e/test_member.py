from playwright.sync_api import expect

from tests.conventions.factories import ConventionFactory, PartnerFactory


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
