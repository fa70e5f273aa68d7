"""The referent imports three synthetic yearly OLINPE bases and reads the coherence report."""

import re

from playwright.sync_api import expect

from tests.uploads.olinpe.conftest import SMALL
from uploads.olinpe.synthetic import generate, write_csv


def test_referent_imports_three_years_and_reads_the_coherence_report(journey, referent, tmp_path):
    generated = generate(SMALL)
    page = journey.page
    journey.sign_in(referent)
    for year, frame in generated.bases.items():
        path = tmp_path / f"olinpe-{year}.csv"
        write_csv(frame, path, encoding="latin-1" if year % 2 else "utf-8")
        journey.menu("Base OLINPE").click()
        journey.check(f"index-{year}", heading="Base OLINPE")
        page.get_by_label("Année de la base").fill(str(year))
        page.get_by_label("Extraction annuelle (CSV ou .xlsx)").set_input_files(path)
        page.get_by_role("button", name="Importer la base").click()
        expect(page).to_have_url(re.compile(rf"/olinpe/{year}/$"))
        journey.check(f"year-{year}", heading=f"Base OLINPE {year}")
        expect(page.get_by_role("status")).to_contain_text("La base est reçue")

    report = page.get_by_role("table")
    expect(report).to_contain_text("Enregistrements en double")
    duplicates = report.get_by_role("row").filter(has_text="Enregistrements en double")
    expect(duplicates).to_contain_text(f"{generated.planted[2024]['duplicates']} enregistrements")
    breaks = report.get_by_role("row").filter(has_text="Ruptures d'une année sur l'autre")
    expect(breaks).to_contain_text(f"{generated.planted[2024]['year_breaks']} enfants")
    expect(page.get_by_role("main")).to_contain_text(
        "Retours dans la protection de l'enfance dans les 12 mois"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le rapport")).click()
    assert download.value.suggested_filename == "olinpe-2024-rapport-coherence.xlsx"
