"""Governance in the browser: a body's meeting whose minutes a member reads, the indicator catalogue
completed with a rate and adopted by a decision, and a personal-data breach recorded with its two clocks."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from conventions import services
from conventions.models import Decision
from odpe.audit import Actor
from tests.conventions.factories import BodyFactory, MeetingFactory
from tests.uploads.factories import IndicatorFactory

MEETING_DATE = re.compile(r"\d{4}, \d{2}:\d{2}$")  # a meeting's link: its date and time


def test_referent_records_the_minutes_and_a_member_reads_them(
    journey, second_page, referent, member, partner
):
    committee = BodyFactory()
    services.add_body_member(committee, member, partner=partner, actor=Actor.platform())
    MeetingFactory(body=committee, held=True, place="Hôtel du Département, Saint-Étienne")
    page = journey.page

    journey.sign_in(referent)
    journey.menu("Instances").click()
    journey.check("bodies", heading="Instances de gouvernance")
    page.get_by_role("link", name="Comité de suivi").click()
    journey.check("committee", heading="Comité de suivi")
    page.get_by_role("region", name="Réunions").get_by_role("link", name=MEETING_DATE).first.click()
    journey.check("meeting", heading="Comité de suivi du")
    page.get_by_role("link", name="Enregistrer le compte rendu").click()
    journey.check("minutes-form", heading="Compte rendu")
    page.get_by_label(re.compile(member.get_full_name())).check()
    page.get_by_label("Compte rendu").fill(
        "Le comité a examiné le bilan annuel et arrêté deux axes de travail."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "Compte rendu enregistré"
    )
    journey.check("minutes-recorded", heading="Comité de suivi du")

    page = journey.page = second_page
    journey.sign_in(member)
    journey.menu("Instances").click()
    journey.check("member-bodies", heading="Instances de gouvernance")
    page.get_by_role("link", name="Comité de suivi").click()
    page.get_by_role("region", name="Réunions").get_by_role("link", name=MEETING_DATE).first.click()
    journey.check("member-meeting", heading="Comité de suivi du")
    minutes = page.get_by_role("region", name="Compte rendu")
    expect(minutes).to_contain_text("arrêté deux axes de travail")
    expect(minutes).to_contain_text(member.get_full_name())
    expect(page.get_by_role("link", name="Corriger le compte rendu")).to_have_count(0)


def test_admin_has_a_decision_adopt_the_indicator_catalogue(journey, admin_user):
    committee = BodyFactory()
    MeetingFactory(body=committee, held=True)
    IndicatorFactory(code="enfants_places", label="Enfants placés")
    page = journey.page

    journey.sign_in(admin_user)
    journey.menu("Instances").click()
    page.get_by_role("link", name="Comité de suivi").click()
    page.get_by_role("region", name="Réunions").get_by_role("link", name=MEETING_DATE).first.click()
    journey.check("meeting", heading="Comité de suivi du")
    page.get_by_role("link", name="Enregistrer une décision").click()
    journey.check("decision-form", heading="Décision")
    page.get_by_label("Nature de la décision").select_option(Decision.Kind.INDICATOR_LIST.value)
    page.get_by_label("Texte de la décision").fill("Le comité arrête la liste des indicateurs 2026.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("region", name="Décisions")).to_contain_text(
        "Adoption de la liste des indicateurs"
    )

    journey.menu("Catalogue des indicateurs").click()
    journey.check("catalogue-to-adopt", heading="Catalogue des indicateurs")
    page.get_by_label("Décision").select_option(index=1)
    page.get_by_role("button", name="Adopter cette version").click()
    expect(page.locator("#adoption")).to_contain_text(re.compile(r"Adoptée par le Comité de suivi le \d+"))
    expect(page.get_by_role("table", name=re.compile("Indicateurs de la version 1"))).to_contain_text(
        "Enfants placés"
    )
    journey.check("catalogue-adopted", heading="Catalogue des indicateurs")


def test_referent_defines_a_rate_per_thousand_on_the_catalogue_page(journey, referent):
    IndicatorFactory(code="enfants-confies", label="Enfants confiés à l'ASE")
    IndicatorFactory(code="population-0-20", label="Population des 0-20 ans", domain="context")
    page = journey.page

    journey.sign_in(referent)
    journey.menu("Catalogue des indicateurs").click()
    page.get_by_role("link", name="Définir un taux à partir de deux indicateurs").click()
    journey.check("rate-form", heading="Définir un taux")
    page.get_by_label("Code").fill("taux-confies")
    page.get_by_label("Libellé").fill("Enfants confiés pour 1 000 jeunes de 0 à 20 ans")
    page.get_by_label("Domaine").select_option(label="Protection judiciaire")
    page.get_by_label("Numérateur").select_option(label="enfants-confies — Enfants confiés à l'ASE")
    page.get_by_label("Dénominateur").select_option(label="enfants-confies — Enfants confiés à l'ASE")
    page.get_by_label("Définition").fill("Enfants confiés au 31 décembre rapportés aux jeunes de 0 à 20 ans.")
    page.get_by_role("button", name="Définir ce taux").click()
    journey.check("rate-refused", heading="Définir un taux")
    expect(page.get_by_role("alert")).to_contain_text("choisissez un autre dénominateur")
    page.get_by_label("Dénominateur").select_option(label="population-0-20 — Population des 0-20 ans")
    page.get_by_role("button", name="Définir ce taux").click()

    journey.check("rate-defined", heading="Catalogue des indicateurs")
    expect(page.get_by_role("status")).to_contain_text("Taux « taux-confies » défini")
    expect(page.get_by_role("region", name="Indicateurs pas encore adoptés")).to_contain_text(
        "Taux : Enfants confiés à l'ASE divisé par Population des 0-20 ans."
    )


def test_admin_records_a_breach_and_watches_its_clocks(journey, admin_user):
    discovered = timezone.localtime(timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    page = journey.page

    journey.sign_in(admin_user)
    journey.menu("Violations").click()
    journey.check("register", heading="Violations de données personnelles")
    page.get_by_role("link", name="Enregistrer une violation").click()
    journey.check("breach-form", heading="Enregistrer une violation")
    page.get_by_label("Intitulé").fill("Export envoyé au mauvais destinataire")
    page.get_by_label("découverte le").fill(discovered.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("début le").fill((discovered - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("nature de la violation").fill("Un tableau a été envoyé à un partenaire non habilité.")
    page.get_by_label("catégories de personnes concernées").fill("Mineurs suivis")
    page.get_by_label("nombre approximatif de personnes").fill("40")
    page.get_by_label("catégories d’enregistrements concernés").fill("Mesures de placement")
    page.get_by_label("nombre approximatif d’enregistrements").fill("85")
    page.get_by_label("conséquences probables").fill("Atteinte à la confidentialité.")
    page.get_by_label("mesures prises ou envisagées").fill("Suppression demandée au destinataire.")
    page.get_by_role("button", name="Enregistrer la violation").click()
    journey.check("breach", heading="Export envoyé au mauvais destinataire")
    clocks = page.get_by_role("region", name="Délais de notification")
    expect(clocks).to_contain_text("Le Département (PIPASE art. 8.3)")
    expect(clocks).to_contain_text(re.compile(r"Il reste 3[23]\u00a0h"))
    expect(clocks).to_contain_text("La CNIL (RGPD art. 33)")

    page.get_by_label("Destinataire notifié").select_option("department")
    page.get_by_label("Notifié le").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Enregistrer la notification").click()
    expect(clocks).to_contain_text("à temps")
    journey.check("department-notified", heading="Export envoyé au mauvais destinataire")
