"""Every write that matters in the collection: one function per transition."""

import logging
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conventions.models import Convention, Partner
from odpe import audit, files
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.filenames import display_name
from odpe.queue import enqueue, enqueue_on_commit
from uploads import checking, descriptors
from uploads.models import (
    Campaign,
    CatalogueVersion,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
    TableSpec,
)
from uploads.observations import replace_observations
from uploads.selectors import expected_pairs, specs_sent_under
from uploads.validation import Finding, Report

logger = logging.getLogger(__name__)
Status = SubmissionVersion.Status

MAX_VALIDATION_ATTEMPTS = 3
RECEIVED_GRACE = timedelta(minutes=2)  # an upload not picked up by then was never enqueued
VALIDATION_GRACE = timedelta(minutes=5)  # beyond the task's hard time limit: its worker died
# Refusals that mean the file is not a workbook one may open (another format, macros, encryption, a
# broken or hostile container): its bytes are not kept, only its fingerprint, size and finding. A
# workbook refused for its sheet's extent (file-dimensions) or its cells stays, as what the partner fixes.
NOT_A_WORKBOOK = frozenset(
    {"file-not-xlsx", "file-macro", "file-encrypted", "file-corrupt", "file-too-large"}
)
CHECK_NEVER_ENDED = gettext_lazy(
    "The check of this file never completed: it is refused as a precaution. Save it again from your "
    "spreadsheet (as .xlsx) and send it again; if the problem persists, write to the ODPE referent."
)


@transaction.atomic
def create_campaign(*, actor: Actor, data_year: int, opens_on: date, due_on: date) -> Campaign:
    """The campaign collects the catalogue's latest adopted version (none before the first adoption)."""
    catalogue = CatalogueVersion.objects.order_by("-number").first()
    campaign = Campaign.objects.create(
        data_year=data_year, opens_on=opens_on, due_on=due_on, catalogue=catalogue
    )
    open_submissions(campaign)
    audit.record(
        actor,
        "campaign.created",
        campaign,
        opens_on=str(opens_on),
        due_on=str(due_on),
        catalogue=catalogue.number if catalogue else None,
    )
    return campaign


def open_submissions(campaign: Campaign, on: date | None = None) -> int:
    """Create the submission of each expected (partner, table) pair that has none yet; safe to repeat."""
    existing = set(campaign.submissions.values_list("partner_id", "spec_id"))
    missing = expected_pairs(campaign, on) - existing
    Submission.objects.bulk_create(
        [
            Submission(campaign=campaign, partner_id=partner_id, spec_id=spec_id)
            for partner_id, spec_id in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def open_current_submissions(today: date) -> int:
    """Open what the current collection expects since it was created: a partner that joined by an
    amendment, a table required afterwards. Run daily, before the reminders."""
    campaign = Campaign.objects.filter(opens_on__lte=today).order_by("-data_year").first()
    return open_submissions(campaign, today) if campaign else 0


def _set_status(version: SubmissionVersion, status: str, *, by=None, comment: str = "", **fields) -> None:
    """Move the version and keep the move in the submission's history."""
    version.move(status, **fields)
    SubmissionEvent.objects.create(
        submission_id=version.submission_id, version=version, status=status, by=by, comment=comment
    )


def _locked(version: SubmissionVersion) -> SubmissionVersion:
    return SubmissionVersion.objects.select_for_update().select_related("submission").get(pk=version.pk)


@transaction.atomic(durable=True)
def receive_upload(
    submission: Submission, *, actor: Actor, uploaded_file, attested: bool, comment: str = ""
) -> SubmissionVersion:
    """Keep a new immutable version of a partner's table and have it checked once committed.

    Also refuses (PermissionDenied) anyone but the partner's own correspondents: the upload and its
    attestation are the partner's act, which no other role stands in for.
    """
    if not access.may_act_for(actor.user, submission.partner):
        raise PermissionDenied
    if not attested:
        raise TransitionError(_("Confirm that your institution validated these figures before sending them."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    number = (submission.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = SubmissionVersion(
        submission=submission,
        number=number,
        original_name=display_name(uploaded_file.name, default="classeur.xlsx"),
        uploaded_by=actor.user,
        attested=True,
        comment=comment,
    )
    with files.intake(version.file, uploaded_file, uploaded_file.name) as received:
        version.sha256, version.size = received.sha256, received.size
        version.save()
        SubmissionEvent.objects.create(
            submission=submission, version=version, status=Status.RECEIVED, by=actor.user, comment=comment
        )
        for earlier in submission.versions.filter(status=Status.TO_REVIEW).exclude(pk=version.pk):
            _set_status(earlier, Status.SUPERSEDED, comment=_("Replaced by version %(n)s.") % {"n": number})
        submission.latest_version = version
        submission.save(update_fields=["latest_version"])
        audit.record(
            actor,
            "submission.uploaded",
            version,
            sha256=received.sha256,
            size=received.size,
            name=version.original_name,
        )
    # Robust: with the broker down, the upload is still kept and acknowledged; the sweep enqueues it later.
    enqueue_on_commit("uploads.tasks.validate_version_task", str(version.pk))
    return version


def requeue_stuck_validations(now) -> int:
    """Enqueue again what waits too long: never enqueued (broker down), or a check whose worker died.

    Safe to run at any time: `validate_version` does nothing for a version already checked, and a
    version is given up (refused with a message) after `MAX_VALIDATION_ATTEMPTS` checks that never ended.

    Redis also gives back the message of a worker that died mid-check, once its visibility timeout has
    passed (settings.CELERY_VISIBILITY_TIMEOUT). Both exist because each covers what the other cannot:
    this sweep sees uploads whose message never reached the broker (Redis was down when they were
    committed) or was lost with it (a Redis restarted without persistence), and re-enqueues a dead
    worker's check within minutes rather than after the timeout (an hour by default, so that no running
    check is ever handed out twice); the redelivery needs no beat process and reaches every task, the
    dashboards' generation included. Whichever comes second finds the version checked and does nothing.
    """
    validation_timeout = timedelta(seconds=settings.VALIDATION_TIME_LIMIT) + VALIDATION_GRACE
    stuck = SubmissionVersion.objects.filter(
        Q(status=Status.RECEIVED, uploaded_at__lt=now - RECEIVED_GRACE)
        | Q(status=Status.VALIDATING, validation_started_at__lt=now - validation_timeout)
    ).values_list("pk", flat=True)
    pks = list(stuck)
    for pk in pks:
        enqueue("uploads.tasks.validate_version_task", str(pk))
    if pks:
        logger.warning("Enqueued again %s stuck validation(s)", len(pks))
    return len(pks)


@transaction.atomic(durable=True)
def start_validation(version: SubmissionVersion) -> SubmissionVersion | None:
    """Mark the version as being checked, and count the attempt; None when it is already checked.

    A version found « validating » was being checked by a worker that died (or is still at it).
    """
    version = _locked(version)
    now = timezone.now()
    if version.status == Status.RECEIVED:
        _set_status(version, Status.VALIDATING, validation_started_at=now, validation_attempts=1)
    elif version.status == Status.VALIDATING:
        version.validation_attempts += 1
        version.validation_started_at = now
        version.save(update_fields=["validation_attempts", "validation_started_at"])
    else:
        return None
    return version


def validate_version(version: SubmissionVersion) -> SubmissionVersion:
    """Check an upload with the engine; keep its report, or, for personal data, not even its bytes.

    A task delivered twice changes nothing the second time. A file whose checks never end (they killed
    the worker, or ran out of time) is refused after `MAX_VALIDATION_ATTEMPTS` tries rather than left
    waiting forever; whichever check finishes first records its report.
    """
    started = start_validation(version)
    if started is None:
        version.refresh_from_db()
        return version
    if started.validation_attempts > MAX_VALIDATION_ATTEMPTS:
        logger.error("Version %s could not be checked in %s attempts", started.pk, MAX_VALIDATION_ATTEMPTS)
        report = Report()
        report.add(Finding(code="file-corrupt", message=str(CHECK_NEVER_ENDED)))
    else:
        report = checking.check_file(started)
    stored = checking.store_annotated_copy(started, report)
    try:
        finished = finish_validation(started, report, annotated_copy=stored)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    if stored and finished.annotated_copy.name != stored:  # another attempt finished first
        default_storage.delete(stored)
    return finished


def add_missing_annotated_copy(version: SubmissionVersion) -> bool:
    """Give a version checked before annotated copies were kept its copy (`manage.py
    annotate_checked_versions`); False when it has one already or needs none."""
    if version.annotated_copy or not version.annotates_its_file:
        return False
    stored = checking.store_annotated_copy(version, version.findings)
    with transaction.atomic(durable=True):
        locked = _locked(version)
        if locked.annotated_copy or not locked.annotates_its_file:
            transaction.on_commit(partial(default_storage.delete, stored))
            return False
        locked.annotated_copy = stored
        locked.save(update_fields=["annotated_copy"])
    return True


def _refusal(report: Report) -> str:
    """The audit action of a file whose bytes are not kept, or "" for a file kept."""
    if report.contains_personal_data:
        return "submission.personal_data_refused"
    if any(finding.code in NOT_A_WORKBOOK for finding in report.errors):
        return "submission.file_refused"
    return ""


@transaction.atomic(durable=True)
def finish_validation(
    version: SubmissionVersion, report: Report, *, annotated_copy: str = ""
) -> SubmissionVersion:
    version = _locked(version)
    if version.status != Status.VALIDATING:
        return version  # another attempt finished first
    platform = Actor.platform()
    fields = {"report": report.as_dict(), "validated_at": timezone.now()}
    if annotated_copy:
        fields["annotated_copy"] = annotated_copy
    bytes_refused = _refusal(report)
    if bytes_refused:
        # Anonymised statistics only, and workbooks only: the bytes go, their fingerprint and the finding stay.
        stored_name = version.file.name
        fields.update(file="", bytes_deleted_at=timezone.now())
        transaction.on_commit(partial(default_storage.delete, stored_name))
        audit.record(platform, bytes_refused, version, sha256=version.sha256, size=version.size)
    status = Status.TO_REVIEW if report.valid else Status.INVALID
    _set_status(version, status, **fields)
    audit.record(platform, "submission.checked", version, status=status, errors=len(report.errors))
    later = version.submission.versions.filter(number__gt=version.number).order_by("number").first()
    if status == Status.TO_REVIEW and later is not None:
        # The partner sent another version while this one was being checked: that one counts.
        _set_status(version, Status.SUPERSEDED, comment=_("Replaced by version %(n)s.") % {"n": later.number})
    return version


@transaction.atomic(durable=True)
def accept_version(version: SubmissionVersion, *, actor: Actor) -> SubmissionVersion:
    version = _locked(version)
    if not version.can_become(Status.ACCEPTED):
        raise TransitionError(
            _("This version is “%(status)s”: it cannot be accepted.")
            % {"status": version.get_status_display()}
        )
    submission = Submission.objects.select_for_update().get(pk=version.submission_id)
    if submission.accepted_version_id:
        _set_status(
            _locked(submission.accepted_version),
            Status.SUPERSEDED,
            by=actor.user,
            comment=_("Replaced by version %(n)s.") % {"n": version.number},
        )
    _set_status(version, Status.ACCEPTED, by=actor.user, reviewed_by=actor.user, reviewed_at=timezone.now())
    submission.accepted_version = version
    submission.save(update_fields=["accepted_version"])
    count = replace_observations(version, checking.extracted_values(submission.spec, version.file.name))
    audit.record(actor, "submission.accepted", version, observations=count)
    _notify_review(version)
    return version


@transaction.atomic(durable=True)
def return_version(version: SubmissionVersion, *, actor: Actor, comment: str) -> SubmissionVersion:
    version = _locked(version)
    if not comment.strip():
        raise TransitionError(_("Say what the partner should correct."))
    if not version.can_become(Status.RETURNED):
        raise TransitionError(
            _("This version is “%(status)s”: it cannot be returned.")
            % {"status": version.get_status_display()}
        )
    _set_status(
        version,
        Status.RETURNED,
        by=actor.user,
        comment=comment,
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )
    audit.record(actor, "submission.returned", version, comment=comment)
    _notify_review(version)
    return version


def _notify_review(version: SubmissionVersion) -> None:
    enqueue_on_commit("uploads.tasks.notify_review_task", str(version.pk))


def record_download(version: SubmissionVersion, *, actor: Actor, what: str) -> None:
    audit.record(actor, "submission.downloaded", version, what=what)


@transaction.atomic
def destroy_partner_files(partner: Partner, convention: Convention, *, actor: Actor) -> list[dict]:
    """Delete what a partner sent under a convention (exit clause "destroy"): files and the observations
    drawn from them; return the list for the destruction certificate.

    Tables count as sent under the convention that requires them, or under the framework
    convention of the application convention that does.
    """
    specs = specs_sent_under(partner, convention)
    destroyed = []
    versions = (
        SubmissionVersion.objects.select_for_update()
        .filter(submission__partner=partner, submission__spec__in=specs)
        .select_related("submission__campaign", "submission__spec")
        .order_by("submission__campaign__data_year", "submission__spec__code", "number")
    )
    for version in versions:
        values, _by_model = version.observations.all().delete()
        if not values and not version.has_bytes:
            continue
        destroyed.append(
            {
                "table": version.submission.spec.title,
                "data_year": version.submission.campaign.data_year,
                "version": version.number,
                "file": version.original_name if version.has_bytes else "",
                "annotated_copy": bool(version.has_bytes and version.annotated_copy),
                "sha256": version.sha256,
                "values": values,
            }
        )
        if version.has_bytes:
            stored_names = [version.file.name, version.annotated_copy.name]
            version.file = version.annotated_copy = ""
            version.bytes_deleted_at = timezone.now()
            version.save(update_fields=["file", "annotated_copy", "bytes_deleted_at"])
            for name in filter(None, stored_names):
                transaction.on_commit(partial(default_storage.delete, name))
    if destroyed:
        audit.record(
            actor,
            "submission.files_destroyed",
            partner,
            files=sum(1 for item in destroyed if item["file"]),
            values=sum(item["values"] for item in destroyed),
        )
    return destroyed


@transaction.atomic
def delete_old_files(before) -> int:
    """Delete the bytes (and annotated copy) of the versions that left the review before `before`:
    superseded, returned, refused by the checks (retention). Their fingerprint, size and report stay. An
    accepted version's bytes are never deleted here: they back the figures drawn from them."""
    left_the_review = SubmissionEvent.objects.filter(
        version=OuterRef("pk"), status=OuterRef("status"), at__lt=before
    )
    versions = (
        SubmissionVersion.objects.select_for_update()
        .filter(status__in=[Status.SUPERSEDED, Status.RETURNED, Status.INVALID], bytes_deleted_at=None)
        .exclude(file="")
        .filter(Exists(left_the_review))
    )
    count = 0
    for version in versions:
        stored_names = [version.file.name, version.annotated_copy.name]
        version.file = version.annotated_copy = ""
        version.bytes_deleted_at = timezone.now()
        version.save(update_fields=["file", "annotated_copy", "bytes_deleted_at"])
        for name in filter(None, stored_names):
            transaction.on_commit(partial(default_storage.delete, name))
        count += 1
    return count


@transaction.atomic
def forget_refused_file_metadata(before) -> int:
    """Empty the file name and comment (the version's and its history's) of the versions refused before
    `before` for personal data or as not a workbook (retention): a name may itself say whom the file was
    about. The row stays, with its
    number, fingerprint, size and findings, so that the submission's history still reads in order."""
    versions = (
        SubmissionVersion.objects.select_for_update()
        .filter(status=Status.INVALID, validated_at__lt=before, report__isnull=False)
        .exclude(original_name="", comment="")
    )
    count = 0
    for version in versions:
        if not _refusal(version.findings):
            continue
        version.original_name = version.comment = ""
        version.save(update_fields=["original_name", "comment"])
        version.events.filter(status=Status.RECEIVED).update(comment="")  # the upload's copy of the comment
        count += 1
    return count


@transaction.atomic
def save_spec(form, *, actor: Actor) -> TableSpec:
    """Create or change a table spec from its validated form."""
    created = form.instance._state.adding
    spec = form.save()
    audit.record(actor, "spec.created" if created else "spec.changed", spec, fields=len(spec.field_names))
    return spec


@transaction.atomic
def import_spec(spec: TableSpec, *, actor: Actor) -> TableSpec:
    """Save a table spec read from a published descriptor (`SpecImportForm` checked it)."""
    spec.save()
    audit.record(actor, "spec.imported", spec, fields=len(spec.field_names))
    return spec


@transaction.atomic
def replace_schema(spec: TableSpec, descriptor: dict, *, actor: Actor) -> TableSpec:
    """New columns and rules for a spec; its code, title, description and sheet stay its own."""
    spec = TableSpec.objects.select_for_update().get(pk=spec.pk)
    spec.schema = descriptors.schema_body(descriptor)
    spec.save(update_fields=["schema", "updated_at"])
    audit.record(actor, "spec.schema_imported", spec, fields=len(spec.field_names))
    return spec
