"""The governance bodies' writes: a body, its meetings, their documents, minutes and decisions (Loire
art. 2, charter art. IV). Memberships are in `conventions.services` (they give the member role)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conventions.models import Body, BodyMembership, Decision, Meeting, MeetingDocument
from odpe import audit, files
from odpe.audit import Actor
from odpe.errors import TransitionError


@transaction.atomic(durable=True)
def create_body(
    *, actor: Actor, kind: str, name: str = "", description: str = "", representatives_per_partner=None
) -> Body:
    """A body: one of each standing kind (the database refuses a second), any number of working groups."""
    if kind != Body.Kind.WORKING_GROUP and Body.objects.filter(kind=kind).exists():
        raise TransitionError(_("This body already exists: open it from the list of bodies."))
    body = Body.objects.create(
        kind=kind,
        name=name if kind == Body.Kind.WORKING_GROUP else "",
        description=description,
        representatives_per_partner=representatives_per_partner,
    )
    audit.record(actor, "body.created", body, kind=kind)
    return body


@transaction.atomic(durable=True)
def schedule_meeting(body: Body, *, actor: Actor, held_at: datetime, place: str, agenda: str) -> Meeting:
    meeting = Meeting.objects.create(body=body, held_at=held_at, place=place, agenda=agenda)
    audit.record(actor, "meeting.scheduled", meeting, body_id=body.pk, held_at=held_at.isoformat())
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)


@transaction.atomic(durable=True)
def record_minutes(
    meeting: Meeting, *, actor: Actor, minutes: str, attendees: list[BodyMembership]
) -> Meeting:
    """The minutes and who was present, once the meeting was held; a correction replaces both."""
    meeting = _locked(meeting)
    if meeting.held_at > timezone.now():
        raise TransitionError(_("This meeting has not been held yet: its minutes come afterwards."))
    if any(membership.body_id != meeting.body_id for membership in attendees):
        raise TransitionError(_("Only members of the body can be recorded as present."))
    corrected = meeting.minutes_recorded_at is not None
    meeting.minutes = minutes
    meeting.minutes_recorded_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_recorded_at"])
    meeting.attendees.set(attendees)
    audit.record(
        actor,
        "meeting.minutes_recorded",
        meeting,
        body_id=meeting.body_id,
        present=len(attendees),
        corrected=corrected,
    )
    return meeting


@transaction.atomic(durable=True)
def attach_meeting_document(meeting: Meeting, *, actor: Actor, title: str, uploaded_file) -> MeetingDocument:
    """A PDF of the meeting (checked by the form from its bytes), kept under a random name."""
    meeting = _locked(meeting)
    document = MeetingDocument(meeting=meeting, title=title, uploaded_by=actor.user)
    with files.intake(document.file, uploaded_file, uploaded_file.name) as received:
        document.sha256, document.size = received.sha256, received.size
        document.save()
        audit.record(
            actor, "meeting.document_added", document, meeting_id=str(meeting.pk), sha256=received.sha256
        )
    return document


@transaction.atomic(durable=True)
def record_decision(meeting: Meeting, *, actor: Actor, kind: str, text: str) -> Decision:
    """A decision taken at a meeting that was held."""
    meeting = _locked(meeting)
    if meeting.held_at > timezone.now():
        raise TransitionError(_("This meeting has not been held yet: no decision can be recorded for it."))
    decision = Decision.objects.create(meeting=meeting, kind=kind, text=text)
    audit.record(actor, "decision.recorded", decision, meeting_id=str(meeting.pk), kind=kind)
    return decision
