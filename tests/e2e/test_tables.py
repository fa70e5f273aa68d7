"""Long lists can be sorted by a column and filtered by a word, with the mouse or the keyboard."""

from playwright.sync_api import expect

from tests.conventions.factories import PartnerFactory


def test_member_filters_and_sorts_the_partners(journey, member):
    for name in [
        "Tribunal judiciaire de Roanne",
        "Caisse d'Allocations Familiales de la Loire",
        "Association Sauvegarde 42",
    ]:
        PartnerFactory(name=name)
    page = journey.page
    journey.sign_in(member)
    journey.visit("/partners/", "partners", heading="Partenaires")
    table = page.get_by_role("table")

    page.get_by_label("Trouver un partenaire").fill("allocations")
    expect(table.locator("tbody tr:visible")).to_have_count(1)
    expect(page.get_by_text("1 ligne(s) affichée(s)")).to_be_visible()
    page.get_by_label("Trouver un partenaire").fill("")

    name_header = page.get_by_role("button", name="Nom", exact=True)
    journey.tab_to(name_header)
    page.keyboard.press("Enter")
    header = page.get_by_role("columnheader", name="Nom", exact=True)
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody tr").first).to_contain_text("Association Sauvegarde 42")
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr").first).to_contain_text("Tribunal judiciaire de Roanne")
    journey.check("sorted")
