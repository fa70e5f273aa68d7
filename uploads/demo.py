"""Demo collection: the indicator catalogue, two partners' table specs, past years' accepted tables and an
open campaign. Past tables go through the real path: a workbook filled in, uploaded by the partner's demo
correspondent, checked, accepted by the demo referent; their figures become observations."""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from conventions.demo import partner_named
from conventions.models import Convention
from odpe.accounts.models import User
from odpe.audit import Actor
from uploads import services
from uploads.models import Campaign, ColumnMapping, Indicator, Submission, TableRequirement, TableSpec

D = Indicator.Domain
INDICATORS = [
    (
        "population-0-17",
        "Population des 0-17 ans",
        D.CONTEXT,
        "count",
        "Enfants de 0 à 17 ans résidant dans le département (Insee).",
    ),
    (
        "population-0-20",
        "Population des 0-20 ans",
        D.CONTEXT,
        "count",
        "Jeunes de 0 à 20 ans résidant dans le territoire au 1er janvier (Insee, estimations de population).",
    ),
    (
        "familles-allocataires",
        "Familles allocataires",
        D.CONTEXT,
        "count",
        "Familles percevant au moins une prestation de la CAF au 31 décembre.",
    ),
    (
        "familles-monoparentales",
        "Familles monoparentales allocataires",
        D.CONTEXT,
        "count",
        "Familles allocataires dont le foyer compte un seul parent.",
    ),
    (
        "enfants-couverts",
        "Enfants couverts par une prestation familiale",
        D.CONTEXT,
        "count",
        "Enfants à charge des familles allocataires.",
    ),
    (
        "aides-educatives-domicile",
        "Aides éducatives à domicile",
        D.PREVENTION,
        "count",
        "Mesures d'aide éducative à domicile en cours au 31 décembre.",
    ),
    (
        "informations-preoccupantes",
        "Informations préoccupantes reçues",
        D.CHILDREN_IN_DANGER,
        "count",
        "Informations préoccupantes reçues par la CRIP dans l'année.",
    ),
    (
        "enfants-uaped",
        "Enfants reçus en UAPED",
        D.CHILDREN_IN_DANGER,
        "count",
        "Enfants reçus dans l'unité d'accueil pédiatrique enfants en danger du CHU dans l'année.",
    ),
    (
        "mesures-administratives",
        "Mesures de protection administrative",
        D.ADMINISTRATIVE_PROTECTION,
        "count",
        "Accueils provisoires et AED en cours au 31 décembre.",
    ),
    (
        "enfants-confies",
        "Enfants confiés à l'ASE",
        D.JUDICIAL_PROTECTION,
        "count",
        "Mineurs et jeunes majeurs confiés à l'aide sociale à l'enfance au 31 décembre.",
    ),
    (
        "mna-accueillis",
        "Mineurs non accompagnés accueillis",
        D.UNACCOMPANIED_MINORS,
        "count",
        "MNA confiés à l'ASE au 31 décembre.",
    ),
    (
        "mesures-judiciaires",
        "Mesures de protection judiciaire",
        D.JUDICIAL_PROTECTION,
        "count",
        "Placements et AEMO ordonnés par le juge des enfants en cours au 31 décembre.",
    ),
    (
        "places-accueil",
        "Places d'accueil en établissement",
        D.RECEPTION_CAPACITY,
        "count",
        "Places autorisées en maisons d'enfants à caractère social au 31 décembre.",
    ),
    (
        "depenses-ase",
        "Dépenses d'aide sociale à l'enfance",
        D.FINANCIAL_COMMITMENT,
        "amount",
        "Dépenses nettes du Département au titre de l'ASE, en euros.",
    ),
]

# Rates the dashboard computes from two indicators of the catalogue: code, label, domain, unit, definition,
# numerator, denominator.
RATES = [
    (
        "taux-enfants-confies",
        "Enfants confiés pour 1 000 jeunes de 0 à 20 ans",
        D.JUDICIAL_PROTECTION,
        "per_thousand",
        "Enfants confiés à l'ASE au 31 décembre rapportés à la population des 0-20 ans.",
        "enfants-confies",
        "population-0-20",
    ),
]

TERRITORIES = ["Saint-Étienne", "Gier-Ondaine-Pilat", "Forez", "Roannais", "Total"]
AGE_GROUPS = ["0-2 ans", "3-5 ans", "6-10 ans", "11-14 ans", "15-17 ans"]

CAF_SCHEMA = {
    "name": "caf-allocataires",
    "title": "Allocataires et prestations familiales par territoire",
    "fields": [
        {
            "name": "territoire",
            "title": "Territoire",
            "type": "string",
            "description": "Territoire d'action sociale du Département.",
            "constraints": {"required": True, "enum": TERRITORIES},
        },
        {
            "name": "familles_allocataires",
            "title": "Familles allocataires",
            "type": "integer",
            "description": "Familles percevant au moins une prestation au 31 décembre.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "familles_monoparentales",
            "title": "Dont familles monoparentales",
            "type": "integer",
            "description": "Parmi elles, familles dont le foyer compte un seul parent.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "enfants_couverts",
            "title": "Enfants couverts",
            "type": "integer",
            "description": "Enfants à charge des familles allocataires.",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["territoire"],
    "totalRow": {"field": "territoire", "value": "Total"},
}

DEPARTMENT_SCHEMA = {
    "name": "departement-ase",
    "title": "Enfants confiés et population des 0-20 ans par territoire",
    "fields": [
        {
            "name": "territoire",
            "title": "Territoire",
            "type": "string",
            "description": "Territoire d'action sociale du Département.",
            "constraints": {"required": True, "enum": TERRITORIES},
        },
        {
            "name": "enfants_confies",
            "title": "Enfants confiés à l'ASE",
            "type": "integer",
            "description": "Mineurs et jeunes majeurs confiés à l'ASE au 31 décembre.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "population_0_20",
            "title": "Population des 0-20 ans",
            "type": "integer",
            "description": "Jeunes de 0 à 20 ans au 1er janvier (Insee).",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["territoire"],
    "totalRow": {"field": "territoire", "value": "Total"},
}

CHU_SCHEMA = {
    "name": "chu-uaped",
    "title": "Enfants reçus en UAPED par âge et sexe",
    "fields": [
        {
            "name": "tranche_age",
            "title": "Tranche d'âge",
            "type": "string",
            "description": "Âge de l'enfant à sa première venue dans l'année.",
            "constraints": {"required": True, "enum": AGE_GROUPS},
        },
        {
            "name": "filles",
            "title": "Filles",
            "type": "integer",
            "description": "Filles reçues dans l'année.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "garcons",
            "title": "Garçons",
            "type": "integer",
            "description": "Garçons reçus dans l'année.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "total",
            "title": "Total",
            "type": "integer",
            "description": "Filles et garçons.",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["tranche_age"],
    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}],
}

SPECS = [
    # code, sheet, schema, partner, convention, {column: (role, indicator code)}
    (
        "caf-allocataires",
        "Allocataires",
        CAF_SCHEMA,
        "La Caisse d'Allocations Familiales de la Loire",
        "ODPE-LOIRE-APP-CAF-2020",
        {
            "territoire": ("territory", None),
            "familles_allocataires": ("value", "familles-allocataires"),
            "familles_monoparentales": ("value", "familles-monoparentales"),
            "enfants_couverts": ("value", "enfants-couverts"),
        },
    ),
    (
        "chu-uaped",
        "UAPED",
        CHU_SCHEMA,
        "Le Centre Hospitalier Universitaire de Saint-Etienne",
        "ODPE-LOIRE-2019",
        {"tranche_age": ("age_group", None), "total": ("value", "enfants-uaped")},
    ),
    (
        "departement-ase",
        "ASE",
        DEPARTMENT_SCHEMA,
        "Le Département de la Loire",
        "ODPE-LOIRE-2019",
        {
            "territoire": ("territory", None),
            "enfants_confies": ("value", "enfants-confies"),
            "population_0_20": ("value", "population-0-20"),
        },
    ),
]


def seed_collection(today: date) -> Campaign:
    """Safe to run again: what exists is kept. No enclosing transaction: each service runs its own."""
    for code, label, domain, unit, definition in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"label": label, "domain": domain, "unit": unit, "definition": definition}
        )
    for code, label, domain, unit, definition, numerator, denominator in RATES:
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "domain": domain,
                "unit": unit,
                "definition": definition,
                "numerator": Indicator.objects.get(code=numerator),
                "denominator": Indicator.objects.get(code=denominator),
            },
        )
    for code, sheet, schema, partner_name, reference, columns in SPECS:
        spec, _created = TableSpec.objects.get_or_create(
            code=code, defaults={"title": schema["title"], "sheet_name": sheet, "schema": schema}
        )
        for field_name, (role, indicator_code) in columns.items():
            indicator = Indicator.objects.get(code=indicator_code) if indicator_code else None
            ColumnMapping.objects.get_or_create(
                spec=spec, field_name=field_name, defaults={"role": role, "indicator": indicator}
            )
        TableRequirement.objects.get_or_create(
            convention=Convention.objects.get(reference=reference),
            partner=partner_named(partner_name),
            spec=spec,
        )
    campaign = Campaign.objects.filter(data_year=today.year - 1).first()
    if campaign is None:
        campaign = services.create_campaign(
            actor=Actor.platform(),
            data_year=today.year - 1,
            opens_on=today - timedelta(days=10),
            due_on=today + timedelta(days=45),
        )
    for year in range(today.year - HISTORY_YEARS - 1, today.year - 1):
        seed_accepted_year(year)
    return campaign


HISTORY_YEARS = 5
SENDERS = {
    "caf-allocataires": "correspondant.caf@odpe-demo.fr",
    "chu-uaped": "correspondant.chu@odpe-demo.fr",
    "departement-ase": "correspondant.departement@odpe-demo.fr",
}
# Young people aged 0 to 20 by territory (Insee orders of magnitude for the Loire), and children in care.
POPULATION_0_20 = {"Saint-Étienne": 98_000, "Gier-Ondaine-Pilat": 64_000, "Forez": 52_000, "Roannais": 37_000}
REVIEWER = "referent@odpe-demo.fr"


def demo_rows(code: str, year: int) -> list[list]:
    """Plausible figures, changing a little every year; the hospital's are small counts, so that the
    dashboard shows statistical confidentiality at work."""
    drift = year - 2020
    if code == "caf-allocataires":
        rows = []
        for number, territory in enumerate(TERRITORIES[:-1]):
            families = 21_000 - 3_000 * number + 150 * drift
            rows.append([territory, families, families // 4 + 40 * drift, int(families * 1.8)])
        rows.append(["Total", *(sum(row[column] for row in rows) for column in (1, 2, 3))])
        return rows
    if code == "departement-ase":
        rows = []
        for number, (territory, population) in enumerate(POPULATION_0_20.items()):
            in_care = round(population * (0.0105 + 0.0012 * number)) + 12 * drift
            rows.append([territory, in_care, population - 250 * drift])
        rows.append(["Total", *(sum(row[column] for row in rows) for column in (1, 2))])
        return rows
    rows = []
    for number, age_group in enumerate(AGE_GROUPS):
        girls = [9, 14, 21, 17, 1][number] + drift % 3
        boys = [11, 12, 18, 9, 2][number] + (drift * 2) % 3
        rows.append([age_group, girls, boys, girls + boys])
    return rows


def seed_accepted_year(year: int) -> None:
    """A closed campaign of `year` whose tables were sent and accepted; nothing is done twice."""
    campaign = Campaign.objects.filter(data_year=year).first()
    if campaign is None:
        campaign = services.create_campaign(
            actor=Actor.platform(),
            data_year=year,
            opens_on=date(year + 1, 1, 15),
            due_on=date(year + 1, 3, 31),
        )
    referent = User.objects.get(email=REVIEWER)
    for submission in Submission.objects.filter(
        campaign=campaign, accepted_version__isnull=True
    ).select_related("spec"):
        sender = SENDERS.get(submission.spec.code)
        if sender is None:
            continue
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = submission.spec.sheet_name
        sheet.append(list(submission.spec.column_labels.values()))
        for row in demo_rows(submission.spec.code, year):
            sheet.append(row)
        content = io.BytesIO()
        workbook.save(content)
        upload = SimpleUploadedFile(f"{submission.spec.code}-{year}.xlsx", content.getvalue())
        version = services.receive_upload(
            submission, actor=Actor(user=User.objects.get(email=sender)), uploaded_file=upload, attested=True
        )
        version = services.validate_version(version)  # in-process: the demo needs no worker
        services.accept_version(version, actor=Actor(user=referent))
