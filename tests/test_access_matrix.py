"""Every page of the project × every role: who gets the page, who is refused, who must sign in."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conventions import meetings, notices
from conventions import services as convention_services
from dashboards import reports
from dashboards.models import ConsentRequest
from odpe import breaches
from odpe.accounts import services as account_services
from odpe.accounts.roles import Role
from odpe.audit import Actor
from odpe.roof import withdrawals
from tests.accounts.factories import UserFactory
from tests.conventions.factories import (
    BodyFactory,
    ConventionFactory,
    MeetingFactory,
    PartnerFactory,
    data_transfer_with_recipient,
)
from tests.dashboards.factories import (
    AnnualReportFactory,
    ConsentRequestFactory,
    DashboardVersionFactory,
    DocumentFactory,
    sample_content,
)
from tests.uploads.factories import (
    CampaignFactory,
    IndicatorFactory,
    SubmissionFactory,
    TableRequirementFactory,
    xlsx_upload,
)
from tests.uploads.transfers.factories import csv_bytes, person, upload
from uploads import services as upload_services
from uploads.data_requests import services as data_request_services
from uploads.olinpe.models import YearlyBase
from uploads.transfers import services as transfer_services
from uploads.transfers.models import Designation

# "correspondent" acts for the partner that owns the objects of the URLs; "other_correspondent" for
# another partner: for them, the first partner's submission, file, report, consent request… do not exist.
ROLES = ["anonymous", "member", "correspondent", "other_correspondent", "referent", "admin"]

# Third-party pages (tested by their own projects) and pages public by design.
EXTERNAL_INCLUDES = {"allauth.urls"}
EXTERNAL_NAMESPACES = {"admin"}
PUBLIC_NAMES = {"healthz", "set_language"}

LOGIN = "login"  # 302 to the sign-in page, coming back to the requested page
ADMIN_LOGIN = "admin_login"  # the Django admin's own redirect (which leads on to LOGIN or a 403)


@dataclass(frozen=True)
class Redirect:
    to: str  # a URL name
    same_object: bool = False  # reversed with the requested URL's arguments
    object_of: str | None = None  # reversed with the arguments the matrix gives this other URL name


@dataclass(frozen=True)
class Page:
    url: str  # a URL name
    expected: dict
    method: str = "get"


def readers(allowed=200) -> dict:
    return {
        "anonymous": LOGIN,
        "member": allowed,
        "correspondent": 403,
        "other_correspondent": 403,
        "referent": allowed,
        "admin": allowed,
    }


def admins_only(allowed=200) -> dict:
    return {
        "anonymous": LOGIN,
        "member": 403,
        "correspondent": 403,
        "other_correspondent": 403,
        "referent": 403,
        "admin": allowed,
    }


def contributors(allowed=200, correspondent=None) -> dict:
    """The owning partner's correspondents and the ODPE team; another partner's correspondents get a 404."""
    return {
        "anonymous": LOGIN,
        "member": 403,
        "correspondent": allowed if correspondent is None else correspondent,
        "other_correspondent": 404,
        "referent": allowed,
        "admin": allowed,
    }


def correspondents_only(allowed=200) -> dict:
    """Pages of a correspondent's own work (their collection, their consent requests)."""
    return {
        "anonymous": LOGIN,
        "member": 403,
        "correspondent": allowed,
        "other_correspondent": allowed,
        "referent": 403,
        "admin": 403,
    }


def olinpe_referent(allowed=200) -> dict:
    """The OLINPE base (pseudonymised personal data): the referent alone; anyone else signed in finds nothing."""
    return {
        "anonymous": LOGIN,
        "member": 404,
        "correspondent": 404,
        "other_correspondent": 404,
        "referent": allowed,
        "admin": 404,
    }


def everyone_with_a_role(allowed=200) -> dict:
    return {"anonymous": LOGIN, **{role: allowed for role in ROLES if role != "anonymous"}}


def reviewers(allowed=200) -> dict:
    return {
        "anonymous": LOGIN,
        "member": 403,
        "correspondent": 403,
        "other_correspondent": 403,
        "referent": allowed,
        "admin": allowed,
    }


def referent_only(allowed=200) -> dict:
    """The annual report is composed by the referent alone."""
    return {
        "anonymous": LOGIN,
        "member": 403,
        "correspondent": 403,
        "other_correspondent": 403,
        "referent": allowed,
        "admin": 403,
    }


def extranet_readers() -> dict:
    """A dashboard published for the members only: anyone else, signed in or not, gets a 404 (the pages
    are open to the public, and show the public what was published for everyone)."""
    return {
        "anonymous": 404,
        "member": 200,
        "correspondent": 404,
        "other_correspondent": 404,
        "referent": 200,
        "admin": 200,
    }


MATRIX = {
    "home": everyone_with_a_role(),
    "olinpe:index": olinpe_referent(),
    "olinpe:year": olinpe_referent(),
    "olinpe:report_download": olinpe_referent(),
    "olinpe:base_import": olinpe_referent(Redirect("olinpe:index")),
    "olinpe:dictionary_import": olinpe_referent(Redirect("olinpe:index")),
    "olinpe_transmission": olinpe_referent(Redirect("olinpe:year", same_object=True)),
    **{
        name: {role: 200 for role in ROLES}
        for name in [
            "public_home",
            "legal_notice",
            "accessibility",
            "personal_data",
            "processing_register",
            "contact",
        ]
    },
    "conventions:convention_list": readers(),
    "conventions:convention_detail": readers(),
    "conventions:convention_document": readers(),
    "conventions:partner_list": readers(),
    "conventions:partner_detail": readers(),
    "conventions:partner_logo": everyone_with_a_role(),
    "conventions:certificate_download": {**admins_only(), "correspondent": 200, "other_correspondent": 404},
    "conventions:certificate_list": {**admins_only(), "correspondent": 200, "other_correspondent": 200},
    "conventions:convention_create": admins_only(),
    "conventions:signatory_add": admins_only(),
    "conventions:amendment_create": admins_only(),
    "conventions:withdrawal_preview": admins_only(),
    "conventions:withdrawal_confirm": admins_only(200),
    "conventions:document_upload": admins_only(),
    "conventions:partner_edit": admins_only(),
    "conventions:recipient_designate": admins_only(),
    "conventions:notice_list": {
        **admins_only(),
        "referent": 200,
        "correspondent": 200,
        "other_correspondent": 200,
    },
    "conventions:notice_detail": contributors(),
    "conventions:notice_record": {**contributors(), "referent": 403},
    "conventions:notice_document": contributors(),
    "transfers:transfer_list": correspondents_only(),
    **{
        f"transfers:{name}": {**correspondents_only(), "other_correspondent": 404}
        for name in [
            "transfer_detail",
            "dataset_upload",
            "dataset_detail",
            "dataset_file",
            "linkage_create",
            "linkage_detail",
        ]
    },
    "transfers:designation_list": admins_only(),
    "transfers:designation_end": admins_only(
        Redirect("transfers:designation_list", object_of="transfers:designation_list")
    ),
    "conventions:body_list": readers(),
    "conventions:body_create": admins_only(),
    "conventions:body_detail": readers(),
    "conventions:body_member_add": admins_only(),
    "conventions:body_member_end": admins_only(
        Redirect("conventions:body_detail", object_of="conventions:body_detail")
    ),
    "conventions:meeting_create": {**readers(), "member": 403},
    "conventions:meeting_detail": readers(),
    "conventions:meeting_minutes": {**readers(), "member": 403},
    "conventions:meeting_document_add": {**readers(), "member": 403},
    "conventions:meeting_document": readers(),
    "conventions:decision_create": {**readers(), "member": 403},
    "breach_list": admins_only(),
    "breach_create": admins_only(),
    "breach_detail": admins_only(),
    "breach_notify": admins_only(400),
    "breach_export": admins_only(),
    "invitation_list": admins_only(),
    "audit_log": admins_only(),
    "audit_log_export": admins_only(),
    # The observatory's colours: needed by the sign-in page, so served to everyone.
    "observatory_css": {role: 200 for role in ROLES},
    "invitation_revoke": admins_only(Redirect("invitation_list")),
    "invitation_accept": {role: 200 for role in ROLES},
    "uploads:collection": correspondents_only(),
    "uploads:template_download": contributors(),
    "uploads:submission_detail": contributors(),
    "uploads:submission_upload": {**correspondents_only(400), "other_correspondent": 404},
    "uploads:version_detail": contributors(),
    "uploads:version_file": contributors(),
    "uploads:version_annotated": contributors(),
    "uploads:version_accept": reviewers(Redirect("uploads:version_detail", same_object=True)),
    "uploads:version_return": reviewers(),
    "uploads:review_queue": reviewers(),
    "uploads:campaign_list": reviewers(),
    "uploads:campaign_create": reviewers(),
    "uploads:campaign_detail": reviewers(),
    "uploads:campaign_matrix_csv": reviewers(),
    "uploads:catalogue": everyone_with_a_role(),
    "uploads:catalogue_adopt": admins_only(Redirect("uploads:catalogue")),
    "uploads:indicator_create": reviewers(),
    "uploads:rate_create": reviewers(),
    "uploads:indicator_edit": reviewers(),
    "uploads:campaign_remind": reviewers(),
    "uploads:spec_list": reviewers(),
    "data_requests:request_list": {**contributors(), "other_correspondent": 200},
    "data_requests:request_create": reviewers(),
    "data_requests:request_detail": reviewers(),
    "data_requests:addressee_detail": contributors(),
    "data_requests:addressee_answer": {**correspondents_only(400), "other_correspondent": 404},
    "data_requests:addressee_accept": reviewers(Redirect("data_requests:addressee_detail", same_object=True)),
    "data_requests:addressee_return": reviewers(),
    "data_requests:template_download": contributors(),
    "data_requests:answer_file": contributors(),
    "uploads:expected_tables": reviewers(),
    "uploads:expected_table_add": reviewers(),
    "uploads:expected_table_calendar": reviewers(),
    "uploads:expected_table_stop": reviewers(),
    "uploads:expected_table_resume": reviewers(),
    "uploads:spec_create": reviewers(),
    "uploads:spec_import_new": reviewers(),
    "uploads:spec_detail": reviewers(),
    "uploads:spec_edit": reviewers(),
    "uploads:spec_schema": reviewers(),
    "uploads:spec_import": reviewers(400),
    "dashboards:version_list": reviewers(),
    "dashboards:reference_values": reviewers(),
    "dashboards:territory_shapes": admins_only(),
    "dashboards:version_detail": reviewers(),
    "dashboards:version_regenerate": reviewers(Redirect("dashboards:version_detail", same_object=True)),
    "dashboards:version_submit": reviewers(Redirect("dashboards:version_detail", same_object=True)),
    "dashboards:version_request_consent": reviewers(Redirect("dashboards:version_detail", same_object=True)),
    "dashboards:version_return": reviewers(),
    "dashboards:version_publish": reviewers(),
    "dashboards:version_withdraw": reviewers(),
    "dashboards:version_preview": reviewers(),
    # Open to everyone: the list and the comparison show each person the versions they may read.
    "dashboards:published_list": {role: 200 for role in ROLES},
    "dashboards:compare": {role: 200 for role in ROLES},
    "dashboards:published_detail": extranet_readers(),
    "dashboards:published_version": extranet_readers(),
    "dashboards:published_section": extranet_readers(),
    "dashboards:export": extranet_readers(),
    "dashboards:contributor_logo": extranet_readers(),
    "dashboards:consent_list": correspondents_only(),
    "dashboards:consent_detail": contributors(),
    "dashboards:consent_leave_out": reviewers(
        Redirect("dashboards:version_detail", object_of="dashboards:version_detail")
    ),
    "dashboards:report_list": referent_only(),
    "dashboards:report_detail": referent_only(),
    "dashboards:chapter_add": referent_only(),
    "dashboards:chapter_edit": referent_only(),
    "dashboards:chapter_remove": referent_only(
        Redirect("dashboards:report_detail", object_of="dashboards:report_detail")
    ),
    "dashboards:chapter_move": referent_only(
        Redirect("dashboards:report_detail", object_of="dashboards:report_detail")
    ),
    "dashboards:report_preview": referent_only(),
    "dashboards:report_to_preview": referent_only(Redirect("dashboards:report_detail", same_object=True)),
    "dashboards:report_request_consent": referent_only(
        Redirect("dashboards:report_detail", same_object=True)
    ),
    "dashboards:report_return": referent_only(Redirect("dashboards:report_detail", same_object=True)),
    "dashboards:report_publish": referent_only(Redirect("dashboards:report_detail", same_object=True)),
    "dashboards:published_reports": {role: 200 for role in ROLES},
    "dashboards:report_read": extranet_readers(),
    "dashboards:report_pdf": extranet_readers(),
    "dashboards:extranet": readers(),
    # Everyone signed in with a role reads the library; the selector decides which documents.
    "dashboards:document_list": everyone_with_a_role(),
    # Any correspondent shares for their own partner; the ODPE team for the observatory only.
    "dashboards:document_share": {**contributors(), "other_correspondent": 200},
    "dashboards:document_queue": reviewers(),
    # An online document: members and every correspondent may read it and download it.
    "dashboards:document_detail": everyone_with_a_role(),
    "dashboards:document_file": everyone_with_a_role(),
    # Studies released to the public: anyone, signed in or not (an unreleased one is a 404 for everyone).
    "dashboards:public_study_list": {role: 200 for role in ROLES},
    "dashboards:public_study_file": {role: 200 for role in ROLES},
    "dashboards:document_validate": reviewers(Redirect("dashboards:document_detail", same_object=True)),
    "dashboards:document_reject": reviewers(),
    "dashboards:document_withdraw": reviewers(),
    # Every correspondent, and the ODPE team: the page holds no data, the file stays in the browser.
    "transfers:pseudonymise": {**everyone_with_a_role(), "member": 403},
    "dashboards:document_sources": reviewers(),
    "dashboards:document_release": reviewers(Redirect("dashboards:document_detail", same_object=True)),
    "admin:index": {**{role: ADMIN_LOGIN for role in ROLES}, "admin": 200},
}
POST_ONLY = {
    "data_requests:addressee_answer",
    "data_requests:addressee_accept",
    "olinpe:base_import",
    "olinpe:dictionary_import",
    "olinpe_transmission",
    "conventions:withdrawal_confirm",
    "conventions:body_member_end",
    "uploads:catalogue_adopt",
    "breach_notify",
    "dashboards:document_release",
    "invitation_revoke",
    "dashboards:version_regenerate",
    "dashboards:version_submit",
    "dashboards:version_request_consent",
    "dashboards:consent_leave_out",
    "uploads:submission_upload",
    "uploads:version_accept",
    "uploads:spec_import",
    "dashboards:document_validate",
    "dashboards:chapter_remove",
    "dashboards:chapter_move",
    "dashboards:report_to_preview",
    "dashboards:report_request_consent",
    "dashboards:report_return",
    "dashboards:report_publish",
    "transfers:designation_end",
}


@pytest.fixture
def objects(partner, admin_user, correspondent, member, django_capture_on_commit_callbacks):
    """One of everything a URL can point to."""
    logo_partner = PartnerFactory(with_logo=True)
    convention = ConventionFactory(
        data_transfer=True,
        parties=[partner, logo_partner],
        signed_document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    withdrawal = convention_services.record_withdrawal(
        convention.signatories.get(partner=logo_partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 3, 1),
        letter_received_on=date(2024, 3, 4),
    )
    withdrawals.apply_due_withdrawals(withdrawal.effective_on)
    # The certificate shown to the partner's own correspondent: its convention reached its end date.
    ended = ConventionFactory(data_transfer=True, ends_on=date(2020, 12, 31), parties=[partner])
    withdrawals.close_ended_convention(ended.pk, today=date(2021, 1, 1), actor=Actor.platform())
    certificate = ended.destruction_certificates.get()
    # The notice the partner owes as recipient of a closed data transfer, recorded with its signed PDF.
    transfer = data_transfer_with_recipient(partner, ends_on=date(2020, 12, 31))
    withdrawals.close_ended_convention(transfer.pk, today=date(2021, 1, 1), actor=Actor.platform())
    notice = notices.record_notice(
        transfer.department_notices.get(),
        actor=Actor(user=correspondent),
        notified_on=date(2021, 1, 5),
        deleted_on=date(2021, 1, 4),
        signed_notice=SimpleUploadedFile("avis.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    # Pseudonymised datasets of a data transfer in force, which designates the correspondent.
    pipase = data_transfer_with_recipient(partner, logo_partner, ends_on=None)
    designation = Designation.objects.create(convention=pipase, partner=partner, user=correspondent)
    rows = [person("DUPONT", "MARIE"), person("MARTIN", "LEO")]
    received = [
        transfer_services.receive_dataset(
            pipase,
            partner,
            base="externe",
            label=label,
            uploaded_file=upload(csv_bytes(rows)),
            actor=Actor(user=correspondent),
        )
        for label in ("Premier", "Second")
    ]
    linkage_report = transfer_services.compute_linkage(*received, actor=Actor(user=correspondent))
    invitation, token = account_services.invite_person(
        "invitee@example.org", Role.MEMBER, actor=Actor(user=admin_user)
    )
    requirement = TableRequirementFactory(partner=partner)
    campaign = CampaignFactory()
    submission = SubmissionFactory(campaign=campaign, partner=partner, spec=requirement.spec)
    with django_capture_on_commit_callbacks(execute=True):
        version = upload_services.receive_upload(
            submission, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(), attested=True
        )
    data_request = data_request_services.send_data_request(
        actor=Actor(user=admin_user),
        title="Mesures en cours",
        message="Merci",
        due_on=date(2030, 1, 1),
        partners=[partner],
        spec=requirement.spec,
        data_year=2024,
    )
    addressee = data_request.addressees.get()
    answer = data_request_services.answer_data_request(
        addressee, actor=Actor(user=correspondent), uploaded_file=xlsx_upload()
    )
    consent = ConsentRequestFactory(partner=partner, status=ConsentRequest.Status.REFUSED, reason="Non")
    dashboard = consent.version
    waiting_document = DocumentFactory(partner=partner)
    online_document = DocumentFactory(partner=partner, validated=True)
    released_study = DocumentFactory(partner=partner, released=True)
    published = DashboardVersionFactory(
        published=True, data_year=2021, content=sample_content(partner, logo_partner, data_year=2021)
    )
    report = reports.create_report(dashboard=published, actor=Actor(user=admin_user))
    chapter = report.chapters.first()
    published_report = AnnualReportFactory(
        published=True,
        dashboard=DashboardVersionFactory(
            published=True, data_year=2020, content=sample_content(partner, data_year=2020)
        ),
        pdf=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    # The member sits in the body whose pages the matrix opens.
    committee = BodyFactory()
    convention_services.add_body_member(committee, member, actor=Actor.platform())
    leaving = convention_services.add_body_member(committee, UserFactory(), actor=Actor.platform())
    meeting = MeetingFactory(body=committee, held=True)
    meeting_document = meetings.attach_meeting_document(
        meeting,
        actor=Actor(user=admin_user),
        title="Ordre du jour",
        uploaded_file=SimpleUploadedFile("o.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    discovered_at = timezone.now() - timedelta(hours=1)
    breach = breaches.record_breach(
        actor=Actor(user=admin_user),
        title="Envoi au mauvais destinataire",
        discovered_at=discovered_at,
        began_at=discovered_at,
        nature="Erreur d'envoi",
        people_categories="Mineurs",
        people_count=3,
        record_categories="Mesures",
        record_count=3,
        consequences="Confidentialité",
        measures="Suppression demandée",
    )
    YearlyBase.objects.create(
        year=2023,
        status=YearlyBase.Status.CHECKED,
        suffix="csv",
        sha256="0" * 64,
        size=1,
        dictionary_version="2017.1",
        imported_by=admin_user,
        report={"year": 2023, "records": 0, "findings": [], "unknown_by_variable": {}, "shares": []},
    )
    return {
        "dashboards:report_detail": [report.pk],
        "dashboards:chapter_add": [report.pk, "commentary"],
        "dashboards:chapter_edit": [chapter.pk],
        "dashboards:chapter_remove": [chapter.pk],
        "dashboards:chapter_move": [chapter.pk, "down"],
        "dashboards:report_preview": [report.pk],
        "dashboards:report_to_preview": [report.pk],
        "dashboards:report_request_consent": [report.pk],
        "dashboards:report_return": [report.pk],
        "dashboards:report_publish": [report.pk],
        "dashboards:report_read": [published_report.pk],
        "dashboards:report_pdf": [published_report.pk],
        "breach_detail": [breach.pk],
        "breach_notify": [breach.pk],
        "breach_export": [breach.pk],
        "conventions:body_detail": [committee.pk],
        "conventions:body_member_add": [committee.pk],
        "conventions:body_member_end": [leaving.pk],
        "conventions:meeting_create": [committee.pk],
        "conventions:meeting_detail": [meeting.pk],
        "conventions:meeting_minutes": [meeting.pk],
        "conventions:meeting_document_add": [meeting.pk],
        "conventions:meeting_document": [meeting_document.pk],
        "conventions:decision_create": [meeting.pk],
        "olinpe:year": [2023],
        "olinpe:report_download": [2023],
        "olinpe_transmission": [2023],
        "dashboards:document_detail": [online_document.pk],
        "dashboards:document_file": [online_document.pk],
        "dashboards:public_study_file": [released_study.pk],
        "dashboards:document_validate": [waiting_document.pk],
        "dashboards:document_reject": [waiting_document.pk],
        "dashboards:document_withdraw": [online_document.pk],
        "dashboards:document_sources": [online_document.pk],
        "dashboards:document_release": [online_document.pk],
        "dashboards:version_preview": [dashboard.pk],
        "dashboards:published_detail": [2021],
        "dashboards:published_version": [published.pk],
        "dashboards:published_section": [published.pk, published.published_content["sections"][0]["domain"]],
        "dashboards:export": [published.pk, "csv"],
        "dashboards:contributor_logo": [published.pk, logo_partner.pk],
        "dashboards:version_detail": [dashboard.pk],
        "dashboards:version_regenerate": [dashboard.pk],
        "dashboards:version_submit": [dashboard.pk],
        "dashboards:version_request_consent": [dashboard.pk],
        "dashboards:version_return": [dashboard.pk],
        "dashboards:version_publish": [dashboard.pk],
        "dashboards:version_withdraw": [dashboard.pk],
        "dashboards:consent_detail": [consent.pk],
        "dashboards:consent_leave_out": [consent.pk],
        "uploads:template_download": [campaign.pk, partner.pk],
        "uploads:submission_detail": [submission.pk],
        "uploads:submission_upload": [submission.pk],
        "uploads:version_detail": [version.pk],
        "uploads:version_file": [version.pk],
        "uploads:version_annotated": [version.pk],
        "uploads:version_accept": [version.pk],
        "uploads:version_return": [version.pk],
        "uploads:campaign_detail": [campaign.pk],
        "uploads:campaign_matrix_csv": [campaign.pk],
        "uploads:campaign_remind": [campaign.pk],
        "data_requests:request_detail": [data_request.pk],
        "data_requests:addressee_detail": [addressee.pk],
        "data_requests:addressee_answer": [addressee.pk],
        "data_requests:addressee_accept": [addressee.pk],
        "data_requests:addressee_return": [addressee.pk],
        "data_requests:template_download": [addressee.pk],
        "data_requests:answer_file": [answer.pk],
        "uploads:indicator_edit": [IndicatorFactory().pk],
        "uploads:spec_detail": [requirement.spec.pk],
        "uploads:spec_edit": [requirement.spec.pk],
        "uploads:spec_schema": [requirement.spec.pk],
        "uploads:spec_import": [requirement.spec.pk],
        "uploads:expected_tables": [requirement.convention.pk],
        "uploads:expected_table_add": [requirement.convention.pk],
        "uploads:expected_table_calendar": [requirement.pk],
        "uploads:expected_table_stop": [requirement.pk],
        "uploads:expected_table_resume": [requirement.pk],
        "conventions:convention_detail": [convention.pk],
        "conventions:convention_document": [convention.pk],
        "conventions:partner_detail": [partner.pk],
        "conventions:partner_logo": [logo_partner.pk],
        "conventions:certificate_download": [certificate.pk],
        "conventions:signatory_add": [convention.pk],
        "conventions:amendment_create": [convention.pk],
        "conventions:withdrawal_preview": [convention.pk],
        "conventions:withdrawal_confirm": [convention.pk],
        "conventions:document_upload": [convention.pk],
        "conventions:partner_edit": [partner.pk],
        "conventions:recipient_designate": [convention.pk],
        "conventions:notice_detail": [notice.pk],
        "conventions:notice_record": [notice.pk],
        "conventions:notice_document": [notice.pk],
        "transfers:transfer_detail": [pipase.pk],
        "transfers:dataset_upload": [pipase.pk],
        "transfers:linkage_create": [pipase.pk],
        "transfers:designation_list": [pipase.pk],
        "transfers:dataset_detail": [received[0].pk],
        "transfers:dataset_file": [received[0].pk],
        "transfers:linkage_detail": [linkage_report.pk],
        "transfers:designation_end": [designation.pk],
        "invitation_revoke": [invitation.pk],
        "invitation_accept": [token],
    }


@pytest.fixture
def other_correspondent_client(other_partner_correspondent_client):
    return other_partner_correspondent_client


@pytest.fixture
def role_client(request, client):
    role = request.param
    return client if role == "anonymous" else request.getfixturevalue(f"{role}_client")


def expected_location(expected, url: str, args: list, objects: dict) -> str:
    if expected == LOGIN:
        return f"{reverse('account_login')}?next={url}"
    if expected == ADMIN_LOGIN:
        return f"{reverse('admin:login')}?next={url}"
    if expected.object_of:
        return reverse(expected.to, args=objects[expected.object_of])
    return reverse(expected.to, args=args if expected.same_object else [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role_client", "expected"),
    [
        pytest.param(name, role, expected, id=f"{name}-{role}")
        for name, row in MATRIX.items()
        for role, expected in row.items()
    ],
    indirect=["role_client"],
)
def test_access(name, role_client, expected, objects):
    args = objects.get(name, [])
    url = reverse(name, args=args)

    response = getattr(role_client, "post" if name in POST_ONLY else "get")(url)
    if response.streaming:
        b"".join(response.streaming_content)  # reading a download to the end closes its file

    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 302
        assert response["Location"] == expected_location(expected, url, args, objects)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "correspondent", "referent"])
def test_the_admin_login_refuses_signed_in_people_who_are_not_admins(request, role):
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403


def test_anonymous_visitor_of_the_admin_ends_on_the_sign_in_page(client, db):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_revoke_only_answers_post(admin_client, objects):
    assert (
        admin_client.get(reverse("invitation_revoke", args=objects["invitation_revoke"])).status_code == 405
    )


def url_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module in EXTERNAL_INCLUDES or pattern.namespace in EXTERNAL_NAMESPACES:
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_page_of_the_project_is_in_the_matrix():
    names = set(url_names(get_resolver().url_patterns)) - PUBLIC_NAMES

    assert names - set(MATRIX) == set(), "Add the new pages to MATRIX with the expected status per role."
    assert {"conventions:convention_list", "home", "invitation_accept"} <= names


def test_every_row_of_the_matrix_covers_every_role():
    assert all(set(row) == set(ROLES) for row in MATRIX.values())
