import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from conventions.dates import add_months
from conventions.models import Amendment, Withdrawal
from odpe.accounts.models import Invitation
from odpe.accounts.roles import Role
from tests.conventions.factories import ConventionFactory, PartnerFactory
from tests.e2e.conftest import french_date


def test_admin_invites_a_referent_records_an_amendment_and_a_withdrawal_in_the_site_and_sees_the_notice(
    journey, admin_user, mailoutbox
):
    department = PartnerFactory(name="Département de la Loire", short_name="Département")
    leaving = PartnerFactory(name="Association PLEIADES", short_name="PLEIADES")
    acceding = PartnerFactory(name="Mutualité Sociale Agricole", short_name="MSA")
    convention = ConventionFactory(reference="ODPE-LOIRE-2019", parties=[department, leaving])
    today = timezone.localdate()
    received_on = today - timedelta(days=3)
    effective_on = add_months(received_on, convention.notice_months)
    page = journey.page

    journey.sign_in(admin_user)

    # Invitations, on the site.
    journey.menu("Invitations").click()
    journey.check("invitations", heading="Invitations")
    page.get_by_label("Adresse électronique").fill("nouvelle.referente@example.org")
    page.get_by_label("Rôle").select_option(label="Référent ODPE")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation envoyée à nouvelle.referente@example.org.")
    expect(page.get_by_role("table", name="Invitations envoyées")).to_contain_text("En attente")
    journey.check("invitation-sent")
    assert Invitation.objects.get().role == Role.REFERENT
    assert [mail.to for mail in mailoutbox] == [["nouvelle.referente@example.org"]]

    # An amendment that adds a partner, on the convention's page.
    journey.visit(convention.get_absolute_url(), "convention-before", heading=convention.title)
    page.get_by_role("link", name="Enregistrer un avenant").click()
    journey.check("amendment-form")
    page.get_by_label("Signée le").fill("2022-06-20")
    page.get_by_label("Prend effet le").fill("2022-07-01")
    page.get_by_label("Objet").fill("Adhésion de la Mutualité Sociale Agricole")
    page.get_by_role("combobox", name=re.compile("^Effet")).select_option(label="Adhésion d’un partenaire")
    page.get_by_label("Partenaire adhérent").select_option(label="Mutualité Sociale Agricole")
    page.get_by_role("button", name="Enregistrer l’avenant").click()
    expect(page.get_by_role("status")).to_contain_text("Avenant n° 1 enregistré.")
    journey.check("amendment-recorded", heading=convention.title)
    amendment = Amendment.objects.get()
    assert (amendment.number, amendment.partner) == (1, acceding)

    # A withdrawal, after its preview.
    page.get_by_role("link", name="Enregistrer une dénonciation").click()
    journey.check("withdrawal-form")
    page.get_by_label("Partenaire qui se retire").select_option(label="Association PLEIADES")
    page.get_by_label("À l’initiative de").select_option(label="Le partenaire")
    page.get_by_label("Lettre recommandée envoyée le").fill(str(received_on - timedelta(days=2)))
    page.get_by_label("Lettre recommandée reçue le").fill(str(received_on))
    page.get_by_label("Motif").fill("Recentrage de l’association sur l’hébergement.")
    page.get_by_role("button", name="Prévisualiser la dénonciation").click()
    journey.check("withdrawal-preview", heading="Vérifier la dénonciation")
    page.get_by_role("button", name="Confirmer la dénonciation").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"PLEIADES quitte la convention le {effective_on:%d/%m/%Y}."
    )
    journey.check("withdrawal-recorded", heading=convention.title)
    assert Withdrawal.objects.get().effective_on == effective_on

    # The notice countdown, on the convention page and on the home page.
    days = (effective_on - today).days
    countdown = f"le {french_date(effective_on)} : {days} jours restants."
    journey.visit(convention.get_absolute_url(), "convention", heading=convention.title)
    expect(page.get_by_role("note")).to_contain_text(
        f"Association PLEIADES quitte cette convention {countdown}"
    )
    parties = page.get_by_role("table", name="Parties à la convention ODPE-LOIRE-2019")
    expect(parties.get_by_role("row", name="Mutualité Sociale Agricole")).to_contain_text("Avenant n° 1")
    expect(parties.get_by_role("row", name="Association PLEIADES")).to_contain_text("En préavis")
    journey.menu("Accueil").click()
    journey.check("home", heading="Bonjour")
    withdrawals = page.get_by_role("list", name=re.compile("Dénonciations qui vont prendre effet"))
    expect(withdrawals).to_contain_text("Association PLEIADES quitte la convention ODPE-LOIRE-2019")
    expect(withdrawals).to_contain_text(f"En préavis : {days} jours restants.")
    expect(withdrawals).to_contain_text(f"Échéance : {french_date(effective_on)}")
