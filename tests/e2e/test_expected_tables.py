"""The admin adds a partner's expected table by an amendment, with the date agreed in its application
convention; the partner's correspondent finds it owed on their home, due on that date."""

import re
from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from tests.conventions.factories import ConventionFactory
from tests.e2e.conftest import french_date
from tests.uploads.factories import CampaignFactory, TableSpecFactory


def test_admin_adds_an_expected_table_by_amendment_and_the_correspondent_owes_it_on_that_date(
    journey, admin_user, correspondent, partner
):
    partner.article = "la"
    partner.save(update_fields=["article"])
    today = timezone.localdate()
    convention = ConventionFactory(bilateral=True, reference="CA-CAF-2019", parties=[partner])
    CampaignFactory(data_year=today.year - 1)  # open since ten days, its submissions opened
    TableSpecFactory(title="Informations préoccupantes")
    agreed = date(today.year, 12, 31)  # the year after the data year
    page = journey.page

    journey.sign_in(admin_user)
    journey.visit(convention.get_absolute_url(), "convention", heading="CA-CAF-2019")
    page.get_by_role(
        "link", name="Les tableaux que les partenaires envoient au titre de cette convention"
    ).click()
    journey.check("expected-tables", heading="Tableaux attendus")
    expect(page.get_by_role("main")).to_contain_text("Cette convention ne demande encore aucun tableau.")
    page.get_by_role("link", name="Attendre un tableau").click()
    journey.check("expected-table-form", heading="Attendre un tableau")
    page.get_by_label("Partenaire").select_option(label=partner.name)
    page.get_by_role("combobox", name=re.compile(r"^Tableau")).select_option(
        label="Informations préoccupantes"
    )
    page.get_by_label("Fréquence").select_option(label="chaque année")
    page.get_by_label("Jour d’échéance convenu").fill("31")
    page.get_by_label("Mois d’échéance convenu").select_option(label="décembre")
    page.get_by_label("Enregistrer en même temps l’avenant qui ajoute ce tableau").check()
    page.get_by_label("Avenant signé le").fill(str(today))
    page.get_by_label("Avenant en vigueur le").fill(str(today))
    page.get_by_label("Objet de l’avenant").fill("Transmission des informations préoccupantes")
    page.get_by_role("button", name="Attendre ce tableau").click()

    expect(page.get_by_role("status")).to_contain_text(
        "La CAF doit désormais «\u00a0Informations préoccupantes\u00a0»"
    )
    journey.check("expected-tables-after", heading="Tableaux attendus")
    row = page.get_by_role("row", name=re.compile("Informations préoccupantes"))
    expect(row).to_contain_text("Chaque année, le 31 décembre de l’année suivante")
    expect(row).to_contain_text(f"Avenant n° 1, en vigueur le {french_date(today)}")
    journey.sign_out()

    journey.sign_in(correspondent)
    owed = page.get_by_role("list", name=re.compile("Tableaux à envoyer"))
    expect(owed).to_contain_text(f"Informations préoccupantes de la CAF, données {today.year - 1}")
    expect(owed).to_contain_text(french_date(agreed))
    journey.check("correspondent-home", heading="Bonjour")
