"""Demo collection: the indicator catalogue, two partners' table specs, past years' accepted tables, an
open campaign, half-way and just past its due date, and an open data request. Past tables go through the real path: a workbook filled in, uploaded by the partner's demo
correspondent, checked, accepted by the demo referent; their figures become observations."""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook

from conventions.demo import partner_named
from conventions.models import Convention
from odpe.accounts.models import User
from odpe.audit import Actor
from uploads import services
from uploads.data_requests import services as data_request_services
from uploads.data_requests.models import Answer, DataRequest
from uploads.models import (
    Campaign,
    ColumnMapping,
    Indicator,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
    TableRequirement,
    TableSpec,
)

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
            opens_on=today - timedelta(weeks=9),
            due_on=today - timedelta(days=5),
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


# The current collection, half-way ------------------------------------------------------------------
# Three more hospitals send the UAPED table the CHU sends, each through its demo correspondent.
HOSPITALS = {
    "Le Centre Hospitalier de Roanne": "correspondant.roanne@odpe-demo.fr",
    "Le Centre Hospitalier de Firminy": "correspondant.firminy@odpe-demo.fr",
    "Le Centre Hospitalier de Montbrison": "correspondant.montbrison@odpe-demo.fr",
}
RETURN_COMMENT = (
    "Les 11-14 ans sont nettement moins nombreux que dans votre rapport d'activité : pouvez-vous vérifier "
    "les garçons de cette tranche d'âge, puis renvoyer le tableau ?"
)


def demo_workbook(spec: TableSpec, rows: list[list], name: str) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_name
    sheet.append(list(spec.column_labels.values()))
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue())


def hospital_rows(partner_name: str, year: int) -> list[list]:
    """A smaller hospital's figures: the CHU's, scaled down and shifted a little per hospital."""
    share = 3 + list(HOSPITALS).index(partner_name)
    rows = []
    for age_group, girls, boys, _total in demo_rows("chu-uaped", year):
        girls, boys = girls * 2 // share, boys * 2 // share + 1
        rows.append([age_group, girls, boys, girls + boys])
    return rows


def send(submission: Submission, sender: str, rows: list[list], sent_at: datetime) -> SubmissionVersion:
    """The partner's correspondent sends a workbook; it is checked in-process (the demo needs no worker)."""
    upload = demo_workbook(
        submission.spec, rows, f"{submission.spec.code}-{submission.campaign.data_year}.xlsx"
    )
    version = services.receive_upload(
        submission, actor=Actor(user=User.objects.get(email=sender)), uploaded_file=upload, attested=True
    )
    version = services.validate_version(version)
    backdate(version, sent_at)
    return version


def backdate(version: SubmissionVersion, sent_at: datetime, reviewed_at: datetime | None = None) -> None:
    """Services stamp the moment they run: a demo seeded in a second would show weeks of work done at once.
    The demo's own versions and their history move back to plausible moments; the audit log, append-only,
    keeps the seeding moment."""
    checked_at = sent_at + timedelta(minutes=1)
    SubmissionVersion.objects.filter(pk=version.pk).update(
        uploaded_at=sent_at, validation_started_at=sent_at, validated_at=checked_at
    )
    events = SubmissionEvent.objects.filter(version=version)
    events.filter(status=SubmissionVersion.Status.RECEIVED).update(at=sent_at)
    events.exclude(status=SubmissionVersion.Status.RECEIVED).update(at=checked_at)
    if reviewed_at is not None:
        SubmissionVersion.objects.filter(pk=version.pk).update(reviewed_at=reviewed_at)
        events.filter(
            status__in=[SubmissionVersion.Status.ACCEPTED, SubmissionVersion.Status.RETURNED]
        ).update(at=reviewed_at)


def days_ago(today: date, days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time(hour)))


def seed_hospitals(today: date) -> None:
    """The three hospitals' UAPED table, required by the Loire convention, sent and accepted for each past
    year (dated within each year's collection), so that only the current year can be owed."""
    spec = TableSpec.objects.get(code="chu-uaped")
    loire = Convention.objects.get(reference="ODPE-LOIRE-2019")
    for name in HOSPITALS:
        TableRequirement.objects.get_or_create(convention=loire, partner=partner_named(name), spec=spec)
    referent = Actor(user=User.objects.get(email=REVIEWER))
    for campaign in Campaign.objects.filter(data_year__lt=today.year - 1).order_by("data_year"):
        services.open_submissions(campaign)
        for name, sender in HOSPITALS.items():
            submission = Submission.objects.get(campaign=campaign, partner=partner_named(name), spec=spec)
            if submission.accepted_version_id:
                continue
            version = send(submission, sender, hospital_rows(name, campaign.data_year), timezone.now())
            services.accept_version(version, actor=referent)


def date_past_years(today: date) -> None:
    """Past years' tables dated within their own collection: sent in the weeks before its due date, accepted
    a few days later. Only versions still stamped with the seeding moment move."""
    versions = SubmissionVersion.objects.filter(
        submission__campaign__data_year__lt=today.year - 1,
        uploaded_at__date__gt=F("submission__campaign__due_on"),
    ).select_related("submission__campaign")
    for number, version in enumerate(versions.order_by("submission__campaign__data_year", "uploaded_at")):
        due = version.submission.campaign.due_on
        sent_at = timezone.make_aware(datetime.combine(due - timedelta(days=28 - 3 * (number % 6)), time(9)))
        backdate(version, sent_at, reviewed_at=sent_at + timedelta(days=4, hours=5))


def seed_collection_half_way(campaign: Campaign, today: date) -> None:
    """The current collection a few days past its due date: the hospital of Roanne's table accepted, the
    CAF's waiting for review (one figure moved sharply: the checks warn), the CHU's returned with a
    comment, Firminy's refused by the checks, Montbrison's not sent (late). Nothing is done twice."""
    seed_hospitals(today)
    services.open_submissions(campaign)
    referent = Actor(user=User.objects.get(email=REVIEWER))
    year = campaign.data_year

    def submission_of(partner_name: str, code: str) -> Submission | None:
        submission = Submission.objects.get(
            campaign=campaign, partner=partner_named(partner_name), spec__code=code
        )
        return None if submission.latest_version_id else submission

    if roanne := submission_of("Le Centre Hospitalier de Roanne", "chu-uaped"):
        rows = hospital_rows("Le Centre Hospitalier de Roanne", year)
        version = send(roanne, HOSPITALS["Le Centre Hospitalier de Roanne"], rows, days_ago(today, 26))
        services.accept_version(version, actor=referent)
        backdate(version, days_ago(today, 26), reviewed_at=days_ago(today, 22, hour=15))
    if chu := submission_of("Le Centre Hospitalier Universitaire de Saint-Etienne", "chu-uaped"):
        rows = demo_rows("chu-uaped", year)
        rows[3] = [rows[3][0], rows[3][1], 1, rows[3][1] + 1]  # the boys of 11-14 left out
        version = send(chu, SENDERS["chu-uaped"], rows, days_ago(today, 19))
        services.return_version(version, actor=referent, comment=RETURN_COMMENT)
        backdate(version, days_ago(today, 19), reviewed_at=days_ago(today, 16, hour=14))
    if caf := submission_of("La Caisse d'Allocations Familiales de la Loire", "caf-allocataires"):
        rows = demo_rows("caf-allocataires", year)
        rows[3][2] *= 2  # Roannais: single-parent families doubled, a change the checks point out
        rows[-1] = ["Total", *(sum(row[column] for row in rows[:-1]) for column in (1, 2, 3))]
        send(caf, SENDERS["caf-allocataires"], rows, days_ago(today, 8))
    if firminy := submission_of("Le Centre Hospitalier de Firminy", "chu-uaped"):
        rows = hospital_rows("Le Centre Hospitalier de Firminy", year)
        rows[2][1] = "NC"  # « non communiqué » where a number is expected: refused by the checks
        send(firminy, HOSPITALS["Le Centre Hospitalier de Firminy"], rows, days_ago(today, 3))
    date_past_years(today)


DATA_REQUEST = {
    "title": "Mesures en cours au 30 juin",
    "message": (
        "Pour la note de conjoncture du Comité de suivi, pourriez-vous nous transmettre le nombre de mesures "
        "en cours au 30 juin, par territoire ? Un tableau simple suffit."
    ),
}
DATA_REQUEST_ASKED = ("La Caisse d'Allocations Familiales de la Loire", "Le Département de la Loire")
DATA_REQUEST_ANSWER = [
    ["Territoire", "Mesures en cours au 30 juin"],
    ["Saint-Étienne", 1_184],
    ["Gier-Ondaine-Pilat", 702],
    ["Forez", 548],
    ["Roannais", 431],
]


def seed_data_request(today: date) -> DataRequest:
    """An ad-hoc request (Loire art. 3) asked five days ago, due in sixteen: the Département answered two days
    ago and its answer waits for the referent; the CAF has not answered yet. Nothing is done twice."""
    request = DataRequest.objects.filter(title=DATA_REQUEST["title"]).first()
    if request is not None:
        return request
    request = data_request_services.send_data_request(
        actor=Actor(user=User.objects.get(email=REVIEWER)),
        due_on=today + timedelta(days=16),
        partners=[partner_named(name) for name in DATA_REQUEST_ASKED],
        **DATA_REQUEST,
    )
    DataRequest.objects.filter(pk=request.pk).update(created_at=days_ago(today, 5, hour=9))
    workbook = Workbook()
    for row in DATA_REQUEST_ANSWER:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    answer = data_request_services.answer_data_request(
        request.addressees.get(partner=partner_named("Le Département de la Loire")),
        actor=Actor(user=User.objects.get(email=SENDERS["departement-ase"])),
        uploaded_file=SimpleUploadedFile("mesures-30-juin.xlsx", content.getvalue()),
    )
    Answer.objects.filter(pk=answer.pk).update(uploaded_at=days_ago(today, 2, hour=16))
    return request
