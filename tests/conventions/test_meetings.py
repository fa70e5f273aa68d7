"""Meetings of the bodies: scheduled with date, place and agenda; documents, attendance, minutes and
decisions recorded afterwards; read by the body's members only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conventions import meetings, selectors, services
from conventions.models import Body, Decision, Meeting
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conventions.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def committee(member):
    body = BodyFactory()
    services.add_body_member(body, member, actor=Actor.platform())
    return body


def test_referent_schedules_a_meeting_and_it_is_audited(referent_client, committee):
    response = referent_client.post(
        reverse("conventions:meeting_create", args=[committee.pk]),
        {
            "held_at": "2026-03-12T14:00",
            "place": "Saint-Étienne, salle du conseil",
            "agenda": "Indicateurs 2026",
        },
    )

    meeting = Meeting.objects.get(body=committee)
    assertRedirects(response, meeting.get_absolute_url())
    assert meeting.place == "Saint-Étienne, salle du conseil"
    assert AuditEvent.objects.filter(action="meeting.scheduled", object_id=str(meeting.pk)).exists()


def test_member_reads_the_minutes_attendance_and_decisions_of_a_held_meeting(
    member_client, member, committee
):
    meeting = MeetingFactory(body=committee, held=True)
    meetings.record_minutes(
        meeting,
        actor=Actor.platform(),
        minutes="Le comité a examiné le bilan.",
        attendees=list(committee.memberships.all()),
    )
    meetings.record_decision(
        meeting, actor=Actor.platform(), kind=Decision.Kind.YEARLY_REVIEW, text="Bilan 2025 approuvé."
    )

    response = member_client.get(meeting.get_absolute_url())

    assertContains(response, "Le comité a examiné le bilan.")
    assertContains(response, member.get_full_name())
    assertContains(response, "Bilan 2025 approuvé.")
    assertNotContains(response, reverse("conventions:meeting_minutes", args=[meeting.pk]))


def test_member_of_another_body_gets_404_for_the_meeting_and_its_documents(client, committee):
    meeting = MeetingFactory(body=committee)
    document = meetings.attach_meeting_document(
        meeting,
        actor=Actor(user=UserFactory()),
        title="Ordre du jour",
        uploaded_file=SimpleUploadedFile("o.pdf", PDF),
    )
    outsider = UserFactory()
    services.add_body_member(BodyFactory(kind=Body.Kind.CONFERENCE), outsider, actor=Actor.platform())
    client.force_login(outsider)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("conventions:meeting_document", args=[document.pk])).status_code == 404


def test_member_downloads_a_meeting_document_and_the_download_is_audited(member_client, committee, referent):
    meeting = MeetingFactory(body=committee)
    document = meetings.attach_meeting_document(
        meeting,
        actor=Actor(user=referent),
        title="Présentation",
        uploaded_file=SimpleUploadedFile("p.pdf", PDF),
    )

    response = member_client.get(reverse("conventions:meeting_document", args=[document.pk]))

    assert b"".join(response.streaming_content) == PDF
    assert "Pr%C3%A9sentation.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="meeting.document_downloaded", actor__isnull=False).exists()


def test_a_meeting_document_that_is_not_a_pdf_is_refused(referent_client, committee):
    meeting = MeetingFactory(body=committee)

    response = referent_client.post(
        reverse("conventions:meeting_document_add", args=[meeting.pk]),
        {"title": "Tableur", "document": SimpleUploadedFile("t.pdf", b"PK\x03\x04 not a pdf")},
    )

    assert response.status_code == 200
    assertContains(response, "Ce fichier n’est pas un document PDF.")
    assert not meeting.documents.exists()


def test_referent_records_minutes_with_attendance(referent_client, committee, member):
    meeting = MeetingFactory(body=committee, held=True)
    membership = committee.memberships.get(user=member)

    response = referent_client.post(
        reverse("conventions:meeting_minutes", args=[meeting.pk]),
        {"minutes": "Relevé de décisions.", "attendees": [membership.pk]},
    )

    assertRedirects(response, meeting.get_absolute_url())
    meeting.refresh_from_db()
    assert meeting.minutes == "Relevé de décisions." and meeting.minutes_recorded_at is not None
    assert list(meeting.attendees.all()) == [membership]
    assert AuditEvent.objects.get(action="meeting.minutes_recorded").details["present"] == 1


def test_minutes_of_a_meeting_not_yet_held_are_refused(committee):
    meeting = MeetingFactory(body=committee)

    with pytest.raises(TransitionError, match="pas encore eu lieu"):
        meetings.record_minutes(meeting, actor=Actor.platform(), minutes="Trop tôt", attendees=[])


def test_someone_outside_the_body_cannot_be_recorded_as_present(committee):
    meeting = MeetingFactory(body=committee, held=True)
    elsewhere = services.add_body_member(
        BodyFactory(kind=Body.Kind.CONFERENCE), UserFactory(), actor=Actor.platform()
    )

    with pytest.raises(TransitionError):
        meetings.record_minutes(meeting, actor=Actor.platform(), minutes="…", attendees=[elsewhere])


def test_referent_records_a_decision_adopting_the_work_axes(referent_client, committee):
    meeting = MeetingFactory(body=committee, held=True)

    response = referent_client.post(
        reverse("conventions:decision_create", args=[meeting.pk]),
        {"kind": Decision.Kind.WORK_AXES, "text": "Axe 1 : les sorties de l'ASE."},
    )

    assertRedirects(response, meeting.get_absolute_url())
    decision = meeting.decisions.get()
    assert decision.kind == Decision.Kind.WORK_AXES
    assert AuditEvent.objects.filter(action="decision.recorded", object_id=str(decision.pk)).exists()


def test_member_cannot_record_minutes(member_client, committee):
    meeting = MeetingFactory(body=committee, held=True)

    assert member_client.get(reverse("conventions:meeting_minutes", args=[meeting.pk])).status_code == 403


def test_upcoming_meetings_are_those_of_the_persons_bodies_soonest_first(member, committee):
    later = MeetingFactory(body=committee, held_at=timezone.now() + timedelta(days=30))
    sooner = MeetingFactory(body=committee, held_at=timezone.now() + timedelta(days=2))
    MeetingFactory(body=committee, held=True)
    MeetingFactory(body=BodyFactory(kind=Body.Kind.CONFERENCE))

    assert list(selectors.upcoming_meetings_for(member)) == [sooner, later]
