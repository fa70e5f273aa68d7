"""The documents' transitions (Loire art. 4–5): shared, then validated (online) or rejected, then withdrawn."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from dashboards import documents
from dashboards.models import Document
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.dashboards.factories import PDF_BYTES, DocumentFactory, upload

pytestmark = pytest.mark.django_db
Status = Document.Status


def french(text: str) -> str:
    """French typography: a non-breaking space inside « » and before a colon."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")


def share(user, partner, name="Étude accueil.pdf", content=PDF_BYTES, **fields):
    values = {"title": "Étude sur l’accueil familial", "summary": "", "published_on": date(2025, 3, 14)}
    return documents.share_document(
        actor=Actor(user=user), partner=partner, uploaded_file=upload(name, content), **{**values, **fields}
    )


def stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_shared_document_keeps_its_bytes_fingerprint_and_waits_for_validation(correspondent, partner):
    document = share(correspondent, partner)

    assert document.status == Status.SUBMITTED
    assert (document.partner, document.uploaded_by) == (partner, correspondent)
    assert document.original_name == "Étude accueil.pdf"
    assert (document.sha256, document.size) == (hashlib.sha256(PDF_BYTES).hexdigest(), len(PDF_BYTES))
    assert document.file.name.startswith("documents/") and "accueil" not in document.file.name
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    event = AuditEvent.objects.get(action="document.shared")
    assert (event.actor, event.object_id) == (correspondent, str(document.pk))
    assert event.details["partner_id"] == str(partner.pk)


def test_the_observatory_shares_its_own_documents_without_a_partner(referent):
    document = share(referent, None)

    assert document.partner is None
    assert "partner_id" not in AuditEvent.objects.get(action="document.shared").details


def test_sharing_bytes_that_are_no_document_is_refused_and_nothing_is_kept(correspondent, partner):
    with pytest.raises(TransitionError, match="n’est ni un PDF ni un document bureautique"):
        share(correspondent, partner, name="etude.pdf", content=b"MZ\x90\x00" + b"\x00" * 60)

    assert not Document.objects.exists()
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="document.shared").exists()


def test_a_failure_after_storing_the_file_removes_the_bytes(correspondent, partner):
    with pytest.raises(IntegrityError):
        share(correspondent, partner, title=None)  # refused by the database, after the bytes were stored

    assert not Document.objects.exists()
    assert stored_files() == []


def test_validating_puts_the_document_online_and_tells_the_partners_correspondents(
    referent, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        documents.validate_document(document, actor=Actor(user=referent, ip="192.0.2.7"))

    document.refresh_from_db()
    assert document.status == Status.VALIDATED
    assert (document.reviewed_by, document.reviewed_at is not None) == (referent, True)
    event = AuditEvent.objects.get(action="document.validated")
    assert (event.actor, event.ip, event.object_id) == (referent, "192.0.2.7", str(document.pk))
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [[correspondent.email]]
    assert "est en ligne" in mail.outbox[0].subject
    assert document.get_absolute_url() in mail.outbox[0].body


def test_the_e_mail_waits_for_the_commit(
    referent, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        documents.validate_document(document, actor=Actor(user=referent))

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_rejecting_keeps_the_comment_and_sends_it_to_the_partner(
    referent, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=True):
        documents.reject_document(
            document, actor=Actor(user=referent), comment="  Données nominatives page 3.  "
        )

    document.refresh_from_db()
    assert (document.status, document.review_comment) == (Status.REJECTED, "Données nominatives page 3.")
    assert (
        AuditEvent.objects.get(action="document.rejected").details["comment"] == "Données nominatives page 3."
    )
    [message] = mail.outbox
    assert message.to == [correspondent.email]
    assert "n’a pas été publié" in message.subject
    assert "Données nominatives page 3." in message.body


def test_rejecting_without_a_comment_is_refused(referent, partner):
    document = DocumentFactory(partner=partner)

    with pytest.raises(TransitionError, match="Dites pourquoi"):
        documents.reject_document(document, actor=Actor(user=referent), comment="  ")

    document.refresh_from_db()
    assert document.status == Status.SUBMITTED


def test_withdrawing_takes_an_online_document_off_and_records_why(
    referent, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner, validated=True)

    with django_capture_on_commit_callbacks(execute=True):
        documents.withdraw_document(document, actor=Actor(user=referent), reason="Une version corrigée suit.")

    document.refresh_from_db()
    assert (document.status, document.withdrawal_reason) == (Status.WITHDRAWN, "Une version corrigée suit.")
    assert document.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="document.withdrawn", object_id=str(document.pk)).exists()
    assert [message.to for message in mail.outbox] == [[correspondent.email]]
    assert "retiré" in mail.outbox[0].subject


def test_deciding_on_the_observatorys_own_document_sends_no_e_mail(
    referent, correspondent, django_capture_on_commit_callbacks
):
    document = DocumentFactory(observatory=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        documents.validate_document(document, actor=Actor(user=referent))

    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("state", "transition", "kwargs", "message"),
    [
        (
            {"validated": True},
            documents.validate_document,
            {},
            "« En ligne » : il ne peut pas être mis en ligne.",
        ),
        (
            {"rejected": True},
            documents.validate_document,
            {},
            "« Non publié » : il ne peut pas être mis en ligne.",
        ),
        ({"validated": True}, documents.reject_document, {"comment": "Non"}, "ne peut plus être refusé"),
        ({}, documents.withdraw_document, {"reason": "Erreur"}, "seul un document en ligne peut être retiré"),
        ({"withdrawn": True}, documents.withdraw_document, {"reason": "Erreur"}, "seul un document en ligne"),
    ],
)
def test_a_move_the_state_does_not_allow_is_refused_in_french_and_changes_nothing(
    referent, state, transition, kwargs, message
):
    document = DocumentFactory(**state)
    before = document.status

    with pytest.raises(TransitionError, match=french(message)):
        transition(document, actor=Actor(user=referent), **kwargs)

    document.refresh_from_db()
    assert document.status == before
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


def test_the_database_refuses_a_rejection_without_its_comment(partner):
    document = DocumentFactory(partner=partner)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(status=Status.REJECTED, review_comment="")


def test_a_download_is_audited_with_its_partner(member, partner):
    document = DocumentFactory(partner=partner, validated=True)

    documents.record_download(document, actor=Actor(user=member))

    event = AuditEvent.objects.get(action="document.downloaded")
    assert (event.actor, event.details["partner"]) == (member, partner.name)
