import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from odpe import audit
from odpe.audit import Actor
from odpe.models import AppendOnlyError, AuditEvent
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(admin_user):
    return audit.record(Actor(user=admin_user, ip="192.0.2.10"), "invitation.sent", admin_user, role="member")


def test_record_writes_who_did_what_to_which_object(event, admin_user):
    stored = AuditEvent.objects.get(pk=event.pk)

    assert (stored.actor, stored.actor_label, stored.ip) == (admin_user, admin_user.email, "192.0.2.10")
    assert (stored.action, stored.object_type, stored.object_id) == (
        "invitation.sent",
        "accounts.User",
        str(admin_user.pk),
    )
    assert stored.details == {"role": "member"}


def test_the_platform_is_named_as_actor_when_nobody_is_signed_in(db):
    stored = audit.record(Actor.platform(), "withdrawal.applied")

    assert (stored.actor, stored.actor_label) == (None, "plateforme")


def test_a_visitor_without_an_account_is_named_as_such_not_as_the_platform(db, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.20")
    request.user = AnonymousUser()

    stored = audit.record(Actor.from_request(request), "document.downloaded")

    assert (stored.actor, stored.actor_label, stored.ip) == (None, "visiteur anonyme", "192.0.2.20")


def test_saving_an_existing_event_again_is_refused(event):
    event.action = "something.else"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "invitation.sent"


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="something.else")

    assert AuditEvent.objects.get(pk=event.pk).action == "invitation.sent"


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_raw_update(event):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)

    # The savepoint keeps the test's transaction usable after the error on PostgreSQL.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["something.else", event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "invitation.sent"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite only guards UPDATE (see migration)")
def test_postgresql_refuses_a_raw_delete(event):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_cannot_add_an_audit_event(admin_client):
    assert admin_client.get(reverse("admin:odpe_auditevent_add")).status_code == 403


def test_admin_cannot_delete_an_audit_event(admin_client, event):
    response = admin_client.post(reverse("admin:odpe_auditevent_delete", args=[event.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_sees_an_audit_event_read_only(admin_client, event):
    url = reverse("admin:odpe_auditevent_change", args=[event.pk])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"action": "something.else"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "invitation.sent"


def test_admin_lists_the_audit_log(admin_client, event):
    assert admin_client.get(reverse("admin:odpe_auditevent_changelist")).status_code == 200


def test_behind_a_trusted_proxy_the_person_s_address_is_recorded_not_the_proxy_s(client, member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert AuditEvent.objects.get(action="user.signed_in").ip == "203.0.113.7"


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert AuditEvent.objects.get(action="user.signed_in").ip == "198.51.100.4"
