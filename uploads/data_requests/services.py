"""Every write of a data request: one function per transition, each with its audit row."""

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conventions.models import Partner
from odpe import audit, files
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.filenames import display_name
from uploads.checking import expected_table, extracted_values, local_copy, validation_limits
from uploads.data_requests import notifications
from uploads.data_requests.models import Addressee, Answer, DataRequest
from uploads.observations import remove_answer_observations, replace_answer_observations
from uploads.selectors import specs_sent_under
from uploads.validation import validate_workbook

Status = Addressee.Status
REMINDER_EVERY = timedelta(days=7)  # while late, as for tables
FINDINGS_SHOWN = 5  # in the refusal's message; the workbook's template says the rest


@transaction.atomic(durable=True)
def send_data_request(
    *,
    actor: Actor,
    title: str,
    message: str,
    due_on: date,
    partners: list[Partner],
    spec=None,
    data_year: int | None = None,
) -> DataRequest:
    """Ask each partner; their correspondents get the message by e-mail once it is recorded.

    Also refuses (TransitionError) a table spec without the year its figures describe: accepted, they
    become observations of that year.
    """
    if not partners:
        raise TransitionError(_("Choose at least one partner to ask."))
    if spec is not None and data_year is None:
        raise TransitionError(
            _("Say which year the figures describe: with a table spec, they join the data of that year.")
        )
    request = DataRequest.objects.create(
        title=title, message=message, due_on=due_on, spec=spec, data_year=data_year, created_by=actor.user
    )
    addressees = Addressee.objects.bulk_create(
        Addressee(request=request, partner=partner) for partner in partners
    )
    audit.record(
        actor,
        "data_request.sent",
        request,
        due_on=str(due_on),
        data_year=data_year,
        partners=[partner.name for partner in partners],
    )
    for addressee in addressees:
        transaction.on_commit(lambda addressee=addressee: notifications.send_request(addressee))
    return request


def _locked(addressee: Addressee) -> Addressee:
    return (
        Addressee.objects.select_for_update(of=("self",))
        .select_related("request__spec", "partner")
        .get(pk=addressee.pk)
    )


@transaction.atomic(durable=True)
def answer_data_request(addressee: Addressee, *, actor: Actor, uploaded_file, comment: str = "") -> Answer:
    """Keep the partner's answer and put it before the referent. With a table spec, the engine checks the
    workbook first: one it refuses is not kept, and the TransitionError lists what to correct.

    Also refuses (PermissionDenied) anyone but the partner's own correspondents.
    """
    if not access.may_act_for(actor.user, addressee.partner):
        raise PermissionDenied
    addressee = _locked(addressee)
    if not addressee.can_become(Status.TO_REVIEW):
        raise TransitionError(
            _("This request is “%(status)s”: it takes no answer now.")
            % {"status": addressee.get_status_display()}
        )
    answer = Answer(
        addressee=addressee,
        original_name=display_name(uploaded_file.name, default="reponse"),
        uploaded_by=actor.user,
        comment=comment,
    )
    with files.intake(answer.file, uploaded_file, uploaded_file.name) as received:
        answer.sha256, answer.size = received.sha256, received.size
        spec = addressee.request.spec
        if spec is not None:
            with local_copy(answer.file.name) as path:
                report = validate_workbook(path, expected_table(spec), limits=validation_limits())
            if not report.valid:
                raise TransitionError(_refusal(report))
            answer.report = report.as_dict()
        answer.save()
        addressee.move(Status.TO_REVIEW)
        audit.record(
            actor, "data_request.answered", addressee, name=answer.original_name, sha256=answer.sha256
        )
    transaction.on_commit(lambda: notifications.send_answered(answer))
    return answer


def _refusal(report) -> str:
    shown = FINDINGS_SHOWN
    lines = [finding.message for finding in report.errors[:shown]]
    more = len(report.errors) - shown
    if more > 0:
        lines.append(_("… and %(count)s more.") % {"count": more})
    return " ".join([_("The checks refused this workbook: correct it and send it again."), *lines])


@transaction.atomic(durable=True)
def accept_answer(addressee: Addressee, *, actor: Actor) -> Addressee:
    """The partner's last answer counts. With a table spec that maps columns to indicators, its figures
    join the observations of the request's data year, in the same transaction (refusals as for a table's,
    `uploads.observations`)."""
    addressee = _locked(addressee)
    addressee.move(
        Status.ACCEPTED,
        refusal=_("This answer is “%(status)s”: it cannot be accepted."),
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
        review_comment="",
    )
    spec = addressee.request.spec
    observations = 0
    if spec is not None:
        answer = addressee.answers.order_by("-uploaded_at").first()
        observations = replace_answer_observations(answer, extracted_values(spec, answer.file.name))
    audit.record(actor, "data_request.accepted", addressee, observations=observations)
    transaction.on_commit(lambda: notifications.send_reviewed(addressee))
    return addressee


@transaction.atomic(durable=True)
def return_answer(addressee: Addressee, *, actor: Actor, comment: str) -> Addressee:
    """Send the answer back with the referent's comment: the partner owes a corrected one. An accepted
    answer may be returned too: its figures leave the observations in the same transaction."""
    addressee = _locked(addressee)
    addressee.move(
        Status.RETURNED,
        refusal=_("This answer is “%(status)s”: it cannot be returned."),
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )
    observations = remove_answer_observations(addressee)
    audit.record(
        actor, "data_request.returned", addressee, comment=comment, observations_removed=observations
    )
    transaction.on_commit(lambda: notifications.send_reviewed(addressee))
    return addressee


def close_data_requests(partner: Partner, *, actor: Actor) -> int:
    """Inside the caller's transaction (a withdrawal taking effect): the partner's open requests close."""
    closed = 0
    open_ones = Addressee.objects.select_for_update().filter(
        partner=partner, status__in=[Status.WAITING, Status.TO_REVIEW, Status.RETURNED]
    )
    for addressee in open_ones:
        addressee.move(Status.CLOSED)
        audit.record(actor, "data_request.closed", addressee, partner=partner.name)
        closed += 1
    return closed


@transaction.atomic
def destroy_partner_answers(partner: Partner, convention, *, actor: Actor) -> list[dict]:
    """Delete the answers a partner sent under a convention (exit clause "destroy") and the observations
    drawn from them; return the list for the destruction certificate, as `destroy_partner_files` does.

    A request is not made under a convention: an answer counts as sent under the one that requires its
    table spec of the partner. An answer with a free document has no spec, and stays.
    """
    answers = (
        Answer.objects.select_for_update(of=("self",))
        .filter(
            addressee__partner=partner, addressee__request__spec__in=specs_sent_under(partner, convention)
        )
        .exclude(file="")
        .select_related("addressee__request__spec")
        .order_by("uploaded_at")
    )
    destroyed = []
    for answer in answers:
        request = answer.addressee.request
        values, _by_model = answer.observations.all().delete()
        destroyed.append(
            {
                "request": request.title,
                "table": request.spec.title,
                "data_year": request.data_year,
                "file": answer.original_name,
                "sha256": answer.sha256,
                "values": values,
            }
        )
        stored_name = answer.file.name
        answer.file = ""
        answer.save(update_fields=["file"])
        transaction.on_commit(partial(default_storage.delete, stored_name))
    if destroyed:
        audit.record(
            actor,
            "data_request.answers_destroyed",
            partner,
            files=len(destroyed),
            values=sum(item["values"] for item in destroyed),
        )
    return destroyed


def send_due_request_reminders(today: date) -> int:
    """Remind each partner that owes an answer: three days before the deadline, then weekly once late.
    Each addressee in its own transaction; safe to run twice a day."""
    sent = 0
    owed = Addressee.objects.filter(status__in=Addressee.OWED, request__due_on__lte=today + timedelta(days=3))
    for addressee in owed.select_related("request", "partner"):
        if addressee.reminded_on is not None and today - addressee.reminded_on < REMINDER_EVERY:
            continue
        with transaction.atomic():
            claimed = Addressee.objects.filter(pk=addressee.pk, reminded_on=addressee.reminded_on).update(
                reminded_on=today
            )
            if claimed:
                audit.record(Actor.platform(), "data_request.reminded", addressee)
                transaction.on_commit(
                    lambda addressee=addressee: notifications.send_request(addressee, reminder=True)
                )
                sent += 1
    return sent
