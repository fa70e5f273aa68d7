"""The documents library's writes: one function per transition (Loire art. 4–5).

A document is shared (by a partner's correspondent, or by the ODPE team for the observatory's own),
then the referent validates it — it goes online on the extranet — or rejects it with a comment; an
online document may later be withdrawn. The sharing partner's correspondents are told by e-mail.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conventions.models import Partner
from dashboards import filetypes
from dashboards.models import ConsentRequest, Document
from dashboards.services import consent_due_on
from odpe import audit, files
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.queue import enqueue_on_commit

Status = Document.Status


def _about(document: Document) -> dict[str, str]:
    return audit.about_partner(document.partner) if document.partner else {}


@transaction.atomic(durable=True)
def share_document(
    *, actor: Actor, partner: Partner | None, title: str, summary: str, published_on: date, uploaded_file
) -> Document:
    """Keep a document for the extranet; it waits for the referent's validation.

    Also checks the file's real type from its bytes and refuses (TransitionError) anything but an
    accepted document: the form says so first, with the reason, but the rule holds for every caller.
    The name kept for downloads ends with the real type's extension. A document shared in a
    partner's name comes from one of its correspondents (PermissionDenied otherwise).
    """
    if partner is not None and not access.may_act_for(actor.user, partner):
        raise PermissionDenied
    try:
        kind = filetypes.identify(uploaded_file)
    except filetypes.NotAccepted as refusal:
        raise TransitionError(
            _("This file is not a PDF or an office document (.docx, .xlsx, .odt, .ods): it was not kept.")
        ) from refusal
    name = filetypes.safe_filename(uploaded_file.name, kind)
    document = Document(
        title=title,
        summary=summary,
        published_on=published_on,
        partner=partner,
        original_name=name,
        uploaded_by=actor.user,
    )
    with files.intake(document.file, uploaded_file, name) as received:
        document.sha256, document.size = received.sha256, received.size
        document.save()
        audit.record(
            actor,
            "document.shared",
            document,
            sha256=received.sha256,
            size=received.size,
            name=name,
            **_about(document),
        )
    return document


def _locked(document: Document) -> Document:
    # Only the document row is locked: its partner is read through a nullable (outer) join.
    return Document.objects.select_for_update(of=("self",)).select_related("partner").get(pk=document.pk)


def _notify_partner(document: Document, actor: Actor) -> None:
    """The sharing partner's correspondents hear of the decision, once it is committed."""
    if document.partner_id is None:
        return
    by = str(actor.user.pk) if actor.user else None
    enqueue_on_commit("dashboards.tasks.notify_document_reviewed_task", str(document.pk), by)


@transaction.atomic(durable=True)
def validate_document(document: Document, *, actor: Actor) -> Document:
    """The document goes online: members find it in the library of the extranet."""
    document = _locked(document)
    document.move(
        Status.VALIDATED,
        refusal=_("This document is “%(status)s”: it cannot be put online."),
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
    )
    audit.record(actor, "document.validated", document, **_about(document))
    _notify_partner(document, actor)
    return document


@transaction.atomic(durable=True)
def reject_document(document: Document, *, actor: Actor, comment: str) -> Document:
    """The document stays off the extranet; the comment tells the partner why."""
    document = _locked(document)
    if not comment.strip():
        raise TransitionError(_("Say why the document is not published: the partner reads it."))
    document.move(
        Status.REJECTED,
        refusal=_("This document is “%(status)s”: it can no longer be rejected."),
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
        review_comment=comment.strip(),
    )
    audit.record(actor, "document.rejected", document, comment=comment.strip(), **_about(document))
    _notify_partner(document, actor)
    return document


@transaction.atomic(durable=True)
def withdraw_document(document: Document, *, actor: Actor, reason: str) -> Document:
    """Take an online document off the extranet; the document and its record stay."""
    document = _locked(document)
    if not reason.strip():
        raise TransitionError(_("Say why the document is withdrawn."))
    document.move(
        Status.WITHDRAWN,
        refusal=_("This document is “%(status)s”: only an online document can be withdrawn."),
        withdrawn_at=timezone.now(),
        withdrawal_reason=reason.strip(),
    )
    audit.record(actor, "document.withdrawn", document, reason=reason.strip(), **_about(document))
    _notify_partner(document, actor)
    return document


@transaction.atomic(durable=True)
def request_document_consents(document: Document, *, actor: Actor, sources: list[Partner]) -> Document:
    """Before a study goes to the public, each source whose data it uses is asked to agree (Loire art. 5),
    through the same consent requests as the dashboards. Asking again resets every answer."""
    document = _locked(document)
    if document.status != Status.VALIDATED or document.public_at is not None:
        raise TransitionError(
            _("Only a study online on the extranet, not yet public, can be submitted to its sources.")
        )
    if not sources:
        raise TransitionError(_("Name at least one source whose data the study uses."))
    document.sources.set(sources)
    document.consent_requests.exclude(partner__in=sources).delete()
    asked = []
    for partner in sources:
        request, _created = ConsentRequest.objects.update_or_create(
            document=document,
            partner=partner,
            defaults={
                "status": ConsentRequest.Status.PENDING,
                "answered_at": None,
                "answered_by": None,
                "reason": "",
                "reminded_at": None,
                "due_on": consent_due_on(),
            },
        )
        asked.append(str(request.pk))
    audit.record(
        actor, "document.consent_requested", document, sources=[p.name for p in sources], **_about(document)
    )
    for pk in asked:
        enqueue_on_commit("dashboards.tasks.notify_document_consent_requested_task", pk)
    return document


@transaction.atomic(durable=True)
def release_document(document: Document, *, actor: Actor) -> Document:
    """The study is released to the public, once every source whose data it uses agreed; those sources'
    correspondents are told. Also refuses (TransitionError) while a source has not agreed."""
    document = _locked(document)
    if document.status != Status.VALIDATED or document.public_at is not None:
        raise TransitionError(_("Only a study online on the extranet, not yet public, can be released."))
    requests = list(document.consent_requests.select_related("partner"))
    if not requests:
        raise TransitionError(_("Ask the sources whose data the study uses first (Loire art. 5)."))
    waiting = [r.partner for r in requests if r.status not in ConsentRequest.AGREED]
    if waiting:
        raise TransitionError(
            _("Not every source agreed: %(partners)s.") % {"partners": ", ".join(p.name for p in waiting)}
        )
    document.public_at = timezone.now()
    document.save(update_fields=["public_at"])
    audit.record(
        actor, "document.released", document, sources=[r.partner.name for r in requests], **_about(document)
    )
    by = str(actor.user.pk) if actor.user else None
    enqueue_on_commit("dashboards.tasks.notify_document_released_task", str(document.pk), by)
    return document


def record_download(document: Document, *, actor: Actor) -> None:
    audit.record(actor, "document.downloaded", document, **_about(document))
