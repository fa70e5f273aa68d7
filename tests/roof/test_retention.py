"""Each category of data is purged once kept for its retention duration, never before, by the daily run."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from odpe import audit
from odpe.accounts.models import Invitation, User
from odpe.accounts.roles import Role
from odpe.accounts.services import invite_person, revoke_invitation
from odpe.audit import Actor
from odpe.models import AppendOnlyError, AuditEvent
from odpe.roof import tasks
from tests.accounts.factories import UserFactory
from tests.uploads.factories import (
    CampaignFactory,
    SubmissionFactory,
    TableRequirementFactory,
    xlsx_upload,
)
from uploads.models import SubmissionVersion
from uploads.services import accept_version, receive_upload

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, tzinfo=UTC)  # in UTC: adding days never crosses a change of hour
WRONG_CELLS = [["Forez", "douze", 10, 22]]
Status = SubmissionVersion.Status


def days(category: str) -> int:
    return settings.RETENTION[category]


def purge_on(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return tasks.purge_expired_data()


@pytest.fixture
def submission(partner):
    requirement = TableRequirementFactory(partner=partner)
    return SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)


@pytest.fixture
def send(submission, correspondent, django_capture_on_commit_callbacks):
    """Upload a file as the partner's correspondent at START, checked as the worker would."""

    def send(file, comment="") -> SubmissionVersion:
        with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
            version = receive_upload(
                submission,
                actor=Actor(user=correspondent),
                uploaded_file=file,
                attested=True,
                comment=comment,
            )
        version.refresh_from_db()
        return version

    return send


def stored(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def test_a_refused_version_s_bytes_and_annotated_copy_go_after_the_duration_and_not_before(
    send, django_capture_on_commit_callbacks
):
    version = send(xlsx_upload(WRONG_CELLS))
    file_name, copy_name = version.file.name, version.annotated_copy.name
    assert version.status == Status.INVALID and stored(file_name) and stored(copy_name)

    purge_on(START + timedelta(days=days("uploaded_files"), hours=-1))
    version.refresh_from_db()
    assert version.has_bytes and stored(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        purge_on(START + timedelta(days=days("uploaded_files"), hours=1))

    version.refresh_from_db()
    assert not version.has_bytes and not version.annotated_copy and version.bytes_deleted_at is not None
    assert not stored(file_name) and not stored(copy_name)
    assert version.sha256 and version.size and version.original_name == "tableau.xlsx"


def test_a_superseded_version_s_bytes_go_but_the_accepted_version_s_never_do(
    send, referent, django_capture_on_commit_callbacks
):
    first = send(xlsx_upload())
    second = send(xlsx_upload())
    with time_machine.travel(START, tick=False):
        accept_version(second, actor=Actor(user=referent))
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED

    with django_capture_on_commit_callbacks(execute=True):
        purge_on(START + timedelta(days=10 * days("uploaded_files")))

    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.has_bytes
    assert second.status == Status.ACCEPTED and second.has_bytes and stored(second.file.name)


def test_a_version_s_bytes_are_counted_from_when_it_left_the_review_not_from_its_upload(
    send, referent, django_capture_on_commit_callbacks
):
    first = send(xlsx_upload())
    later = START + timedelta(days=days("uploaded_files"))
    with time_machine.travel(later, tick=False):
        accept_version(first, actor=Actor(user=referent))
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        receive_upload(
            first.submission, actor=Actor(user=first.uploaded_by), uploaded_file=xlsx_upload(), attested=True
        )
    replacement = first.submission.versions.latest("number")
    with time_machine.travel(later, tick=False):
        accept_version(replacement, actor=Actor(user=referent))
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED

    purge_on(later + timedelta(days=1))

    first.refresh_from_db()
    assert first.has_bytes


def test_a_file_refused_for_personal_data_or_as_not_a_workbook_loses_its_name_and_comment_after_the_duration(
    send,
):
    refused = send(
        SimpleUploadedFile("dossier-jean-dupont.exe", b"MZ\x90\x00" + b"\x00" * 200), comment="Jean Dupont"
    )
    wrong_cells = send(xlsx_upload(WRONG_CELLS, name="cellules.xlsx"), comment="Relu")
    assert refused.status == Status.INVALID and not refused.has_bytes

    purge_on(START + timedelta(days=days("refused_file_metadata"), hours=-1))
    refused.refresh_from_db()
    assert (refused.original_name, refused.comment) == ("dossier-jean-dupont.exe", "Jean Dupont")
    assert refused.events.filter(comment="Jean Dupont").exists()

    purge_on(START + timedelta(days=days("refused_file_metadata"), hours=1))

    refused.refresh_from_db()
    wrong_cells.refresh_from_db()
    assert (refused.original_name, refused.comment) == ("", "")
    assert not refused.events.exclude(comment="").exists()
    assert refused.sha256 and refused.size and refused.findings.errors[0].code == "file-not-xlsx"
    assert (wrong_cells.original_name, wrong_cells.comment) == ("cellules.xlsx", "Relu")


def test_an_audit_event_s_ip_address_is_emptied_after_the_duration_and_the_rest_of_it_stays(admin_user):
    with time_machine.travel(START, tick=False):
        event = audit.record(Actor(user=admin_user, ip="192.0.2.10"), "invitation.sent", admin_user, role="x")

    purge_on(START + timedelta(days=days("audit_ip_addresses"), hours=-1))
    assert AuditEvent.objects.get(pk=event.pk).ip == "192.0.2.10"

    purge_on(START + timedelta(days=days("audit_ip_addresses"), hours=1))

    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.ip is None
    assert (kept.at, kept.actor, kept.action, kept.details) == (
        event.at,
        admin_user,
        "invitation.sent",
        {"role": "x"},
    )


def test_the_account_of_a_person_without_a_role_is_anonymised_after_the_duration_without_signing_in(db):
    with time_machine.travel(START, tick=False):
        gone = UserFactory(email="partie@example.org", last_login=START)
        still_member = UserFactory(email="membre@example.org", role=Role.MEMBER, last_login=START)
        audit.record(Actor(user=gone), "user.signed_in")

    purge_on(START + timedelta(days=days("inactive_accounts"), hours=-1))
    assert User.objects.get(pk=gone.pk).is_active

    purge_on(START + timedelta(days=days("inactive_accounts"), hours=1))

    gone = User.objects.get(pk=gone.pk)
    assert not gone.is_active and not gone.has_usable_password()
    assert (gone.email, gone.first_name, gone.last_name) == (f"{gone.pk}@anonymised.invalid", "", "")
    assert not gone.emailaddress_set.exists()
    assert User.objects.get(pk=still_member.pk).email == "membre@example.org"
    assert AuditEvent.objects.filter(action="user.signed_in", actor=gone).exists()


def test_invitations_accepted_revoked_or_expired_are_deleted_after_the_duration_and_open_ones_stay(
    admin_user,
):
    with time_machine.travel(START, tick=False):
        revoked, _ = invite_person("revoquee@example.org", Role.MEMBER, actor=Actor(user=admin_user))
        revoke_invitation(revoked, actor=Actor(user=admin_user))
        expired, _ = invite_person("expiree@example.org", Role.MEMBER, actor=Actor(user=admin_user))
    expiry = START + timedelta(days=settings.INVITATION_VALID_DAYS)
    after_revocation = START + timedelta(days=days("invitations"), hours=1)
    with time_machine.travel(after_revocation - timedelta(days=1), tick=False):
        still_open, _ = invite_person("ouverte@example.org", Role.MEMBER, actor=Actor(user=admin_user))

    purge_on(START + timedelta(days=days("invitations"), hours=-1))
    assert Invitation.objects.filter(pk=revoked.pk).exists()

    purge_on(after_revocation)
    assert set(Invitation.objects.values_list("pk", flat=True)) == {expired.pk, still_open.pk}

    purge_on(expiry + timedelta(days=days("invitations"), hours=1))
    assert set(Invitation.objects.values_list("pk", flat=True)) == {still_open.pk}


def test_the_purge_records_its_counts_once_and_a_second_run_purges_nothing(send, admin_user):
    send(xlsx_upload(WRONG_CELLS))
    with time_machine.travel(START, tick=False):
        audit.record(Actor(user=admin_user, ip="192.0.2.10"), "invitation.sent", admin_user)
    later = START + timedelta(days=max(settings.RETENTION.values()) + 1)

    first = purge_on(later)
    second = purge_on(later + timedelta(hours=1))

    assert first["uploaded_files"] == 1 and first["audit_ip_addresses"] >= 1
    assert not any(second.values())
    row = AuditEvent.objects.get(action="retention.purged")
    assert row.details == first and row.actor is None and row.ip is None


def test_the_daily_purge_is_in_the_beat_schedule():
    from odpe.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "odpe.roof.tasks.purge_expired_data" in scheduled


@pytest.fixture
def event(admin_user):
    return audit.record(Actor(user=admin_user, ip="192.0.2.10"), "invitation.sent", admin_user, role="member")


def raw_update(assignments: str, params: list, pk) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    # The savepoint keeps the test's transaction usable after the error on PostgreSQL.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*params, pk])


@pytest.mark.parametrize(
    "assignments, params",
    [
        ("action = %s", ["something.else"]),
        ("ip = NULL, action = %s", ["something.else"]),
        ("ip = NULL, actor_label = %s", ["quelqu'un"]),
        ("ip = NULL, details = %s", ['{"role": "admin"}']),
        ("ip = NULL, actor_id = NULL", []),
        ("ip = %s", ["198.51.100.1"]),
    ],
)
def test_the_database_still_refuses_any_update_but_emptying_the_ip_address(event, assignments, params):
    with pytest.raises(DatabaseError):
        raw_update(assignments, params, event.pk)

    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.ip, kept.action, kept.actor_label, kept.details) == (
        "192.0.2.10",
        "invitation.sent",
        event.actor_label,
        {"role": "member"},
    )


def test_the_database_lets_an_ip_address_be_emptied(event):
    raw_update("ip = NULL", [], event.pk)

    assert AuditEvent.objects.get(pk=event.pk).ip is None


def test_the_queryset_still_refuses_other_updates_and_deletes(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(ip=None)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite only guards UPDATE (see migration)")
def test_postgresql_still_refuses_a_raw_delete(event):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()
