"""Demo data: the Loire ODPE convention (seeds/000) with its 48 partners, and one account per role.

Idempotent: every object is looked up before it is created, so running it twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from conventions import services
from conventions.models import Amendment, Body, BodyMembership, Convention, Partner, Signatory, Withdrawal
from conventions.names import split_article
from odpe.accounts import access
from odpe.accounts.models import User
from odpe.accounts.roles import Role
from odpe.accounts.services import add_correspondent, grant_role
from odpe.audit import Actor

DEPARTMENT = ("Le Département de la Loire", "Département de la Loire", "department", "Président")

# (name exactly as in the convention, short name, kind, representative)
LOIRE_PARTNERS = [
    ("Le Préfet de la Loire", "Préfet de la Loire", "state", "Préfet"),
    ("L'Agence Régionale de Santé (ARS)", "ARS", "health", "Directeur"),
    (
        "Le Procureur de la République de Saint-Etienne",
        "Parquet de Saint-Etienne",
        "justice",
        "Procureur de la République",
    ),
    ("Le Procureur de la République de Roanne", "Parquet de Roanne", "justice", "Procureur de la République"),
    ("Le Tribunal de Grande Instance de Saint-Etienne", "TGI Saint-Etienne", "justice", "Président"),
    ("Le Tribunal de Grande Instance de Roanne", "TGI Roanne", "justice", "Président"),
    ("La Caisse d'Allocations Familiales de la Loire", "CAF de la Loire", "social_security", "Directeur"),
    ("La Maison Départementale des Personnes Handicapées", "MDPH", "other", "Directeur"),
    ("L'Ordre des Avocats", "Ordre des Avocats", "justice", "Bâtonnier"),
    ("Le Foyer de l'Enfance et de la Famille", "Foyer de l'Enfance", "association", "Directeur"),
    (
        "L'Association Départementale de la Sauvegarde de l'Enfance à l'Adulte (ADSEA) de la Loire",
        "ADSEA 42",
        "association",
        "Président",
    ),
    (
        "L'Association Gestion Action Sociale des Ensembles Familiaux (AGASEF)",
        "AGASEF",
        "association",
        "Président",
    ),
    ("L'Association Nationale d'Entraide Féminine (ANEF)", "ANEF", "association", "Président"),
    ("L'Association JB d'Allard", "JB d'Allard", "association", "Président"),
    (
        "L'Association Départementale d'Aide à l'Enfance et à l'Adolescence du Rhône (ADAEAR)",
        "ADAEAR",
        "association",
        "Président",
    ),
    ("Le Comité Commun d'Entraide", "Comité Commun d'Entraide", "association", "Président"),
    (
        "L'Association pour l'Enfant et sa Famille",
        "Association pour l'Enfant et sa Famille",
        "association",
        "Président",
    ),
    ("L'Association Les Fogières", "Les Fogières", "association", "Président"),
    ("L'Association des Bruyères du Désert", "Bruyères du Désert", "association", "Président"),
    ("La Fédération Départementale des Lieux de Vie", "FD Lieux de Vie", "association", "Président"),
    ("L'Association des Familles d'Accueil de la Loire (AFAL)", "AFAL", "association", "Président"),
    ("La Fédération de l'ADMR Loire", "ADMR Loire", "association", "Président"),
    ("L'Association PLEIADES", "PLEIADES", "association", "Président"),
    ("L'Union Départementale des Associations Familiales", "UDAF", "association", "Président"),
    (
        "L'Association Départementale d'Entraide des Personnes Accueillies en Protection de l'Enfance (ADEPAPE) de la Loire",
        "ADEPAPE 42",
        "association",
        "Président",
    ),
    ("Le Comité départemental d'ATD Quart Monde", "ATD Quart Monde", "association", "Président"),
    ("L'École des Parents et des Éducateurs", "EPE", "association", "Président"),
    ("L'Association Enfance et Partage Loire", "Enfance et Partage Loire", "association", "Président"),
    ("Le Défenseur des Droits", "Défenseur des Droits", "state", "Délégué Départemental"),
    (
        "Le Centre Hospitalier Universitaire de Saint-Etienne",
        "CHU de Saint-Etienne",
        "health",
        "Directeur général",
    ),
    ("Le Centre Hospitalier de Firminy", "CH de Firminy", "health", "Directeur"),
    ("Le Centre Hospitalier du Pays du Gier", "CH du Pays du Gier", "health", "Directeur"),
    ("Le Centre Hospitalier de Feurs", "CH de Feurs", "health", "Directeur"),
    ("Le Centre Hospitalier de Montbrison", "CH de Montbrison", "health", "Directeur"),
    ("Le Centre Hospitalier de Roanne", "CH de Roanne", "health", "Directeur"),
    ("L'Hôpital Privé de la Loire", "Hôpital Privé de la Loire", "health", "Directeur"),
    ("L'Association Naître et Bien être", "Naître et Bien être", "health", "Responsable"),
    ("Le Réseau de périnatalité ELENA", "ELENA", "health", "Responsable"),
    ("La Maison des Adolescents", "Maison des Adolescents", "health", "Directeur"),
    (
        "Les services d'Hospitalisation à Domicile (HAD) pédiatrique et l'Association Lyonnaise de Logistique Post Hospitalière ALLP",
        "HAD pédiatrique / ALLP",
        "health",
        "Responsables",
    ),
    ("L'Association des Pédiatres Libéraux de la Loire", "Pédiatres Libéraux", "health", "Président"),
    (
        "Le Conseil départemental de l'Ordre des Médecins de la Loire",
        "Ordre des Médecins",
        "health",
        "Président",
    ),
    (
        "L'Union Régionale Interfédérale des Organismes Privés non lucratifs Sanitaires et Sociaux (URIOPSS) Rhône-Alpes",
        "URIOPSS",
        "association",
        "Président",
    ),
    (
        "L'AREFIS en charge de l'Institut Régional et Européen des métiers de l'Intervention Sociale (IREIS) Loire",
        "AREFIS / IREIS",
        "education",
        "Président",
    ),
    (
        "Le Centre Régional pour l'Enfance et l'Adolescence Inadaptée (CREAI) Rhône-Alpes",
        "CREAI",
        "research",
        "Président",
    ),
    ("La Mission Régionale d'Information sur l'Exclusion (MRIE)", "MRIE", "research", "Président"),
    ("L'UNIFAF", "UNIFAF", "other", "Président"),
    (
        "L'Université Lyon II et l'Université Jean Monnet de Saint-Etienne (Laboratoire de recherche Centre Max Weber)",
        "Centre Max Weber",
        "research",
        "Présidents",
    ),
]

ACCEDING_PARTNER = (
    "La Mutualité Sociale Agricole Ardèche Drôme Loire",
    "MSA Ardèche Drôme Loire",
    "social_security",
    "Directeur général",
)
WITHDRAWING_PARTNER = "L'Association PLEIADES"
DATA_TRANSFER_PARTNER = (
    "L'Association Action Tank Entreprise et Pauvreté",
    "Action Tank",
    "association",
    "Président",
)

# Printed by the command: demo only, refused in production.
DEMO_PASSWORD = "odpe-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    first_name: str
    last_name: str
    partner: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin@odpe-demo.fr", Role.ADMIN, "Alice", "Administratrice"),
    DemoAccount("referent@odpe-demo.fr", Role.REFERENT, "Romain", "Référent"),
    # The hospitals that send their UAPED table alongside the CHU (`uploads.demo.HOSPITALS`).
    DemoAccount(
        "correspondant.roanne@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Rose",
        "Correspondante",
        "Le Centre Hospitalier de Roanne",
    ),
    DemoAccount(
        "correspondant.firminy@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Fabien",
        "Correspondant",
        "Le Centre Hospitalier de Firminy",
    ),
    DemoAccount(
        "correspondant.montbrison@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Mona",
        "Correspondante",
        "Le Centre Hospitalier de Montbrison",
    ),
    DemoAccount(
        "correspondant.caf@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Claire",
        "Correspondante",
        "La Caisse d'Allocations Familiales de la Loire",
    ),
    DemoAccount(
        "correspondant.chu@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Karim",
        "Correspondant",
        "Le Centre Hospitalier Universitaire de Saint-Etienne",
    ),
    DemoAccount(
        "correspondant.departement@odpe-demo.fr",
        Role.CORRESPONDENT,
        "Denis",
        "Correspondant",
        "Le Département de la Loire",
    ),
    DemoAccount("membre@odpe-demo.fr", Role.MEMBER, "Marie", "Membre"),
]


def _partner(name: str, short_name: str, kind: str, representative: str) -> Partner:
    """The convention writes « Le Centre Hospitalier… »: the article is kept apart, for « du Centre… »."""
    article, bare_name = split_article(name)
    partner, _created = Partner.objects.get_or_create(
        name=bare_name,
        defaults={
            "article": article,
            "short_name": short_name,
            "kind": kind,
            "representative_title": representative,
        },
    )
    return partner


def partner_named(name: str) -> Partner:
    """A demo partner by its name as the convention writes it, article included."""
    return Partner.objects.get(name=split_article(name)[1])


def _convention(reference: str, parties: list[Partner], **fields) -> Convention:
    convention, created = Convention.objects.get_or_create(
        reference=reference, defaults={**fields, "current_ends_on": fields.get("ends_on")}
    )
    if created:
        Signatory.objects.bulk_create(
            Signatory(convention=convention, partner=partner, joined_on=convention.takes_effect_on)
            for partner in parties
        )
    return convention


def _account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is not None:
        return user
    user = User.objects.create_user(
        account.email, DEMO_PASSWORD, first_name=account.first_name, last_name=account.last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if account.role == Role.CORRESPONDENT:
        add_correspondent(user, partner_named(account.partner), actor=Actor.platform())
    else:
        grant_role(user, account.role, actor=Actor.platform())
    if account.role in access.SECOND_FACTOR_ROLES:
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@transaction.atomic
def seed_demo(today: date) -> dict:
    actor = Actor.platform()
    department = _partner(*DEPARTMENT)
    partners = [_partner(*row) for row in LOIRE_PARTNERS]
    loire = _convention(
        "ODPE-LOIRE-2019",
        [department, *partners],
        title="Convention de partage de données et d'informations de l'Observatoire départemental "
        "de la protection de l'enfance",
        kind=Convention.Kind.MULTIPARTITE,
        signed_on=date(2019, 3, 15),
        takes_effect_on=date(2019, 4, 1),
        notice_months=3,
        exit_policy=Convention.ExitPolicy.RETAIN,
        summary="Modalités de recueil, de partage et de diffusion des données de l'ODPE de la Loire "
        "(Commission permanente du 28 janvier 2019).",
    )
    acceding = _partner(*ACCEDING_PARTNER)
    if not loire.amendments.exists():
        services.record_amendment(
            loire,
            actor=actor,
            signed_on=date(2022, 6, 20),
            takes_effect_on=date(2022, 7, 1),
            subject="Adhésion de la Mutualité Sociale Agricole Ardèche Drôme Loire",
            effect=Amendment.Effect.PARTNER_ACCESSION,
            partner=acceding,
        )
    withdrawing = loire.signatories.get(
        partner=partner_named(WITHDRAWING_PARTNER), via_amendment__isnull=True
    )
    if not Withdrawal.objects.filter(signatory=withdrawing).exists():
        services.record_withdrawal(
            withdrawing,
            actor=actor,
            letter_sent_on=today - timedelta(days=20),
            letter_received_on=today - timedelta(days=18),
            reason="Recentrage de l'association sur ses missions d'hébergement.",
        )
    caf = partner_named("La Caisse d'Allocations Familiales de la Loire")
    _convention(
        "ODPE-LOIRE-APP-CAF-2020",
        [department, caf],
        title="Convention d'application bilatérale — Caisse d'Allocations Familiales de la Loire",
        kind=Convention.Kind.BILATERAL,
        parent=loire,
        signed_on=date(2020, 1, 10),
        takes_effect_on=date(2020, 2, 1),
        notice_months=3,
        exit_policy=Convention.ExitPolicy.RETAIN,
        summary="Données annuelles sur les allocataires et les prestations familiales, par territoire, "
        "transmises chaque année avant le 31 mars au format Excel.",
    )
    action_tank = _partner(*DATA_TRANSFER_PARTNER)
    pipase = _convention(
        "PIPASE-2024",
        [department, action_tank],
        title="Convention de partenariat — expérimentation « Parcours et insertion post-aide sociale à "
        "l'enfance » (PIPASE)",
        kind=Convention.Kind.DATA_TRANSFER,
        signed_on=date(2024, 1, 15),
        takes_effect_on=date(2024, 1, 20),
        ends_on=date(2024, 12, 31),
        notice_months=1,
        notice_counted_from=Convention.NoticeStart.SENT,
        exit_policy=Convention.ExitPolicy.DESTROY,
        summary="Données pseudonymisées transmises pour la durée de l'expérimentation et détruites à son "
        "terme, avec un document précisant la date et le détail des bases supprimées (art. 3.3).",
    )
    if not pipase.amendments.exists():
        services.record_amendment(
            pipase,
            actor=actor,
            signed_on=date(2024, 11, 18),
            takes_effect_on=date(2024, 12, 1),
            subject="Prolongation de l'expérimentation jusqu'au 31 décembre 2027",
            effect=Amendment.Effect.CHANGE_OF_END_DATE,
            new_end_date=date(2027, 12, 31),
        )
    standing = [kind for kind in Body.Kind.values if kind != Body.Kind.WORKING_GROUP]
    bodies = {kind: Body.objects.get_or_create(kind=kind)[0] for kind in standing}
    users = {account.email: _account(account) for account in DEMO_ACCOUNTS}
    member = users["membre@odpe-demo.fr"]
    if not BodyMembership.objects.filter(user=member).exists():
        services.add_body_member(
            bodies[Body.Kind.MONITORING_COMMITTEE],
            member,
            partner=partner_named("Le Préfet de la Loire"),
            since=date(2019, 4, 1),
            actor=actor,
        )
    return {"conventions": [loire, pipase], "accounts": DEMO_ACCOUNTS}
