"""Journeys of a data transfer (PIPASE): the recipient's correspondent finds the deletion notice the
Département is chasing, sees the reminder, records the notice; then sends two pseudonymised datasets and
reads the linkage report between them (counts only)."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from conventions import notices
from odpe.audit import Actor
from odpe.roof import withdrawals
from tests.conventions.factories import data_transfer_with_recipient
from tests.uploads.transfers.factories import csv_bytes, department, designate, person, transfer_convention


def test_a_deletion_notice_chased_then_recorded(journey, correspondent, partner):
    convention = data_transfer_with_recipient(partner, department(), ends_on=date(2024, 12, 31))
    withdrawals.close_ended_convention(convention.pk, today=date(2025, 1, 1), actor=Actor.platform())
    notices.remind_overdue_notices(timezone.localdate())
    page = journey.page

    journey.sign_in(correspondent)
    page.get_by_role("link", name="Avis dus au Département").click()
    journey.check("notices", heading="Avis dus au Département")
    overdue = page.get_by_role("table", name="Avis en retard, la plus ancienne échéance d’abord")
    expect(overdue).to_contain_text("1 relance envoyée")
    overdue.get_by_role("link", name="Avis de suppression").click()
    journey.check("notice", heading="Avis de suppression")
    expect(page.get_by_role("region", name="Relances envoyées")).to_contain_text("Relance envoyée le")

    page.get_by_role("link", name="Enregistrer l’avis").click()
    journey.check("record", heading="Avis de suppression")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date de l’avis").fill(timezone.localdate().isoformat())
    page.get_by_label("Date de la suppression").fill(yesterday.isoformat())
    page.get_by_label("Bases supprimées").fill("Iodas-ASE 2000-2024\nWebRSA 2010-2024")
    page.get_by_role("button", name="Enregistrer l’avis").click()

    expect(page.get_by_role("status")).to_contain_text("Avis enregistré")
    journey.check("recorded", heading="Avis de suppression")
    expect(page.get_by_text("WebRSA 2010-2024")).to_be_visible()


def test_datasets_sent_then_their_linkage_read(journey, correspondent, partner, tmp_path):
    sender = department()
    convention = transfer_convention(partner, sender)
    designate(convention, partner, correspondent)
    first = [person("DUPONT", "MARIE"), person("MARTIN", "LEO"), person("PETIT", "JADE")]
    second = [person("DUPONT", "MARIE"), person("MARTIN", "LEON")]
    files = {}
    for label, rows in (("Extraction du Département", first), ("Données du partenaire", second)):
        files[label] = tmp_path / f"{len(files)}.csv"
        files[label].write_bytes(csv_bytes(rows))
    page = journey.page

    journey.sign_in(correspondent)
    page.get_by_role("link", name="Transferts pseudonymisés").click()
    page.get_by_role("link", name=convention.reference).click()
    journey.check("transfer", heading=convention.reference)
    for label, path in files.items():
        page.get_by_role("link", name="Transmettre un jeu de données pseudonymisées").click()
        journey.check("upload", heading="Transmettre un jeu de données pseudonymisées")
        page.get_by_label("Base (annexe 2)").select_option("externe")
        page.get_by_label("Intitulé").fill(label)
        page.get_by_label("Fichier pseudonymisé (CSV ou .xlsx)").set_input_files(path)
        page.get_by_role("button", name="Transmettre le jeu de données").click()
        expect(page.get_by_role("status")).to_contain_text("Jeu de données reçu")
        page.get_by_role("link", name=convention.reference).click()

    page.get_by_role("link", name="Calculer un rapport d’appariement").click()
    journey.check("linkage-form", heading="Calculer un rapport d’appariement")
    page.get_by_label("Jeu de données").select_option(label="Données du partenaire (" + partner.name + ")")
    page.get_by_label("Comparé à").select_option(label="Extraction du Département (" + partner.name + ")")
    page.get_by_role("button", name="Calculer le rapport").click()

    journey.check("linkage", heading="Rapport d’appariement")
    expect(page.locator("#by-primary")).to_have_text("1")
    expect(page.locator("#by-secondary")).to_have_text("1")
    expect(page.locator("#not-matched")).to_have_text("0")
