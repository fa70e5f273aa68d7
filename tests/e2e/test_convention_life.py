"""The admin's convention life in the site, with no Django admin step: created, signed, amended, one
partner withdrawing after the preview, then closed by the daily run at its end date, the destruction
certificate reaching the partner's correspondent."""

import re
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from conventions.dates import add_months
from conventions.models import Amendment, Convention, DestructionCertificate, Withdrawal
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from odpe.roof.tasks import apply_due_withdrawals
from tests.accounts.factories import UserFactory
from tests.conventions.factories import PartnerFactory
from tests.e2e.conftest import french_date


def test_admin_creates_amends_and_withdraws_from_a_convention_whose_expiry_certifies_the_destruction(
    journey, admin_user, mailoutbox
):
    PartnerFactory(name="Département de la Loire", short_name="Département")
    PartnerFactory(name="Association PLEIADES", short_name="PLEIADES")
    acceding = PartnerFactory(name="Mutualité Sociale Agricole", short_name="MSA")
    correspondent = UserFactory(email="correspondante.msa@example.org")
    add_correspondent(correspondent, acceding, actor=Actor.platform())
    today = timezone.localdate()
    takes_effect_on = today - timedelta(days=400)
    ends_on = today + timedelta(days=60)
    received_on = today - timedelta(days=3)
    withdrawal_effective_on = add_months(received_on, 1)
    page = journey.page

    journey.sign_in(admin_user)

    # The convention, then its signatories.
    journey.menu("Conventions").click()
    journey.check("conventions", heading="Conventions")
    page.get_by_role("link", name="Enregistrer une nouvelle convention").click()
    journey.check("convention-form", heading="Nouvelle convention")
    page.get_by_label("Référence").fill("PIPASE-2025")
    page.get_by_label("Intitulé").fill(
        "Convention de mise à disposition des données de la protection de l’enfance"
    )
    page.get_by_label("Type").select_option(label="Convention d’application bilatérale")
    page.get_by_label("Signée le").fill(str(takes_effect_on - timedelta(days=10)))
    page.get_by_label("Prend effet le").fill(str(takes_effect_on))
    page.get_by_label("Prend fin le (texte signé)").fill(str(ends_on))
    page.get_by_label("Préavis (mois)").fill("1")
    page.get_by_label("Sort des données à la sortie").select_option(Convention.ExitPolicy.DESTROY)
    page.get_by_role("button", name="Enregistrer la convention").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Convention créée : ajoutez ses signataires ci-dessous."
    )
    journey.check("signatories", heading="Signataires de PIPASE-2025")
    for name in ("Département de la Loire", "Association PLEIADES"):
        page.get_by_label("Partenaire").select_option(label=name)
        page.get_by_role("button", name="Ajouter le signataire").click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} est désormais signataire.")
    journey.check("signatories-added")
    convention = Convention.objects.get(reference="PIPASE-2025")
    assert (convention.kind, convention.exit_policy) == (
        Convention.Kind.BILATERAL,
        Convention.ExitPolicy.DESTROY,
    )
    assert convention.signatories.count() == 2

    # An amendment: the Mutualité Sociale Agricole accedes.
    journey.visit(convention.get_absolute_url(), "convention", heading=convention.title)
    page.get_by_role("link", name="Enregistrer un avenant").click()
    journey.check("amendment-form")
    page.get_by_label("Signée le").fill(str(today - timedelta(days=20)))
    page.get_by_label("Prend effet le").fill(str(today - timedelta(days=10)))
    page.get_by_label("Objet").fill("Adhésion de la Mutualité Sociale Agricole")
    page.get_by_role("combobox", name=re.compile("^Effet")).select_option(label="Adhésion d’un partenaire")
    page.get_by_label("Partenaire adhérent").select_option(label="Mutualité Sociale Agricole")
    page.get_by_role("button", name="Enregistrer l’avenant").click()
    expect(page.get_by_role("status")).to_contain_text("Avenant n° 1 enregistré.")
    journey.check("amendment-recorded", heading=convention.title)
    parties = page.get_by_role("table", name="Parties à la convention PIPASE-2025")
    expect(parties.get_by_role("row", name="Mutualité Sociale Agricole")).to_contain_text("Avenant n° 1")
    amendment = Amendment.objects.get()
    assert (amendment.number, amendment.partner) == (1, acceding)

    # A withdrawal, checked on its preview before it is recorded.
    page.get_by_role("link", name="Enregistrer une dénonciation").click()
    journey.check("withdrawal-form")
    page.get_by_label("Partenaire qui se retire").select_option(label="Association PLEIADES")
    page.get_by_label("À l’initiative de").select_option(label="Le partenaire")
    page.get_by_label("Lettre recommandée envoyée le").fill(str(received_on - timedelta(days=2)))
    page.get_by_label("Lettre recommandée reçue le").fill(str(received_on))
    page.get_by_label("Motif").fill("Recentrage de l’association sur l’hébergement.")
    page.get_by_role("button", name="Prévisualiser la dénonciation").click()
    journey.check("withdrawal-preview", heading="Vérifier la dénonciation")
    consequences = page.get_by_role("region", name="Ce que son enregistrement implique")
    expect(consequences).to_contain_text(
        f"Association PLEIADES quitte la convention PIPASE-2025 le {french_date(withdrawal_effective_on)}"
    )
    expect(consequences).to_contain_text("un certificat de destruction délivré à ses correspondants")
    assert not Withdrawal.objects.exists()
    page.get_by_role("button", name="Confirmer la dénonciation").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Association PLEIADES quitte la convention le {withdrawal_effective_on:%d/%m/%Y}."
    )
    journey.check("withdrawal-recorded", heading=convention.title)
    assert Withdrawal.objects.get().effective_on == withdrawal_effective_on

    # The day after its end date, the daily run closes the convention, as the beat would.
    day_after_end = timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), time(6)))
    with time_machine.travel(day_after_end, tick=False):
        apply_due_withdrawals()
    convention.refresh_from_db()
    assert convention.closed_at is not None
    certificates = DestructionCertificate.objects.filter(convention=convention)
    assert certificates.count() == 3
    certificate = certificates.get(partner=acceding)
    assert certificate.withdrawal is None
    assert certificate.destroyed_on == ends_on + timedelta(days=1)
    assert correspondent.email in {address for mail in mailoutbox for address in mail.to}

    # The partner's correspondent finds the certificate from the home page.
    journey.sign_out()
    journey.sign_in(correspondent)
    page.get_by_role("link", name="Certificats de destruction des données").click()
    journey.check("certificates", heading="Certificats de destruction des données")
    rows = page.get_by_role("table", name="Certificats, du plus récent au plus ancien").get_by_role("row")
    expect(rows.filter(has_text="PIPASE-2025")).to_have_count(1)
    link = page.get_by_role("link", name=re.compile("Télécharger le certificat .*Mutualité Sociale Agricole"))
    expect(link).to_be_visible()
