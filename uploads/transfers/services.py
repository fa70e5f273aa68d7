"""Every write on pseudonymised transfers: designating who may handle a convention's datasets, receiving
a dataset (checked, then stored encrypted, the recipient's reception notice expected), computing a
linkage report. Each in its transaction, with its audit row."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from conventions import notices
from conventions.models import Convention, Partner
from odpe import audit, encryption
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.files import fingerprint
from uploads.transfers import checks, linkage
from uploads.transfers.models import Dataset, Designation, LinkageReport
from uploads.transfers.tables import Table, open_table
from uploads.validation.container import Refused


class DatasetRefused(Exception):
    """The dataset did not pass the checks: nothing of it is kept. `findings` are French sentences."""

    def __init__(self, findings: list[str], more: bool = False):
        super().__init__(findings[0] if findings else "")
        self.findings, self.more = findings, more


def _is_party(convention: Convention, partner: Partner) -> bool:
    return convention.signatories.filter(partner=partner, left_on__isnull=True).exists()


@transaction.atomic
def designate_person(convention: Convention, partner: Partner, user, *, actor: Actor) -> Designation:
    """The convention designates one of the partner's correspondents to handle its datasets."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.kind != Convention.Kind.DATA_TRANSFER or convention.closed_at is not None:
        raise TransitionError(
            _("Only a data-transfer convention in force designates people for its datasets.")
        )
    if not _is_party(convention, partner):
        raise TransitionError(
            _("%(partner)s is not a party to this convention.")
            % {"partner": capfirst(partner.with_article())}
        )
    if not access.partners_followed_by(user).filter(pk=partner.pk).exists():
        raise TransitionError(
            _("%(person)s is not a correspondent %(of_partner)s.")
            % {"person": user.email, "of_partner": partner.of_name()}
        )
    if Designation.objects.filter(convention=convention, user=user, ended_at__isnull=True).exists():
        raise TransitionError(
            _("%(person)s is already designated for this convention.") % {"person": user.email}
        )
    designation = Designation.objects.create(convention=convention, partner=partner, user=user)
    audit.record(
        actor,
        "transfers.person_designated",
        designation,
        convention=convention.reference,
        person=user.email,
        **audit.about_partner(partner),
    )
    return designation


@transaction.atomic
def end_designation(designation: Designation, *, actor: Actor) -> Designation:
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    if designation.ended_at is not None:
        raise TransitionError(_("This designation has already ended."))
    designation.ended_at = timezone.now()
    designation.save(update_fields=["ended_at"])
    audit.record(
        actor,
        "transfers.designation_ended",
        designation,
        convention=designation.convention.reference,
        person=designation.user.email,
        **audit.about_partner(designation.partner),
    )
    return designation


@contextmanager
def _on_disk(uploaded_file) -> Iterator[Path]:
    """The uploaded file as a path (a spreadsheet reader needs one): Django's own temporary file when
    the upload was large, else a copy removed at the end."""
    if hasattr(uploaded_file, "temporary_file_path"):
        yield Path(uploaded_file.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        for chunk in uploaded_file.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _check(path: Path, base: str) -> tuple[checks.Result, str]:
    try:
        with open_table(path, max_bytes=settings.TRANSFER_MAX_BYTES) as table:
            return checks.check_dataset(table, base), table.kind
    except Refused as refusal:
        return checks.Result(findings=[str(refusal)]), ""


def receive_dataset(
    convention: Convention, partner: Partner, *, base: str, label: str, uploaded_file, actor: Actor
) -> Dataset:
    """Check the dataset; refused, nothing is kept but an audit row (DatasetRefused); accepted, it is
    stored encrypted and the convention's recipient owes the Département its reception notice (art. 4.2).

    Validates too: the convention must be in force and the partner one of its parties."""
    if convention.closed_at is not None:
        raise TransitionError(_("This convention has ended: it receives no more data."))
    if not _is_party(convention, partner):
        raise TransitionError(
            _("%(partner)s is not a party to this convention.")
            % {"partner": capfirst(partner.with_article())}
        )
    with _on_disk(uploaded_file) as path:
        result, kind = _check(path, base)
        if not result.accepted:
            with transaction.atomic():
                audit.record(
                    actor,
                    "transfers.dataset_refused",
                    convention,
                    base=base,
                    findings=len(result.findings),
                    **audit.about_partner(partner),
                )
            raise DatasetRefused(result.findings, result.more)
        with path.open("rb") as plain:
            return _keep(convention, partner, base, label, plain, kind, result, actor)


@transaction.atomic
def _keep(convention, partner, base, label, plain, kind, result: checks.Result, actor: Actor) -> Dataset:
    received = fingerprint(File(plain))
    dataset = Dataset(
        convention=convention,
        partner=partner,
        base=base,
        label=label,
        kind=kind,
        sha256=received.sha256,
        size=received.size,
        rows=result.rows,
        columns=result.columns,
        uploaded_by=actor.user,
    )
    encryption.save_encrypted(dataset.file, plain, f"dataset.{kind}")
    try:
        dataset.save()
        audit.record(
            actor,
            "transfers.dataset_received",
            dataset,
            convention=convention.reference,
            base=base,
            rows=result.rows,
            **audit.about_partner(partner),
        )
        if not notices.is_recipient(convention, partner):
            notices.expect_reception_notices(
                convention,
                about=str(dataset.pk),
                subject=str(dataset),
                received_on=timezone.localdate(),
                actor=actor,
            )
    except BaseException:
        dataset.file.storage.delete(dataset.file.name)  # the encrypted bytes must not outlive their record
        raise
    return dataset


@contextmanager
def open_dataset(dataset: Dataset) -> Iterator[Table]:
    """The decrypted dataset as a table, for a task or a permission-checked view; the plaintext lives
    in a temporary file removed when the block ends."""
    with tempfile.NamedTemporaryFile(suffix=f".{dataset.kind}") as plain:
        for chunk in encryption.decrypted_chunks(dataset.file):
            plain.write(chunk)
        plain.flush()
        with open_table(Path(plain.name), max_bytes=max(settings.TRANSFER_MAX_BYTES, dataset.size)) as table:
            yield table


@transaction.atomic
def compute_linkage(left: Dataset, right: Dataset, *, actor: Actor) -> LinkageReport:
    """Match the people of `left` in `right` and keep the counts only (PIPASE annex 1 §3)."""
    if left.pk == right.pk:
        raise TransitionError(_("Choose two different datasets."))
    if left.deleted_at or right.deleted_at:
        raise TransitionError(_("The file of this dataset was deleted at the end of its retention."))
    if left.convention_id != right.convention_id:
        raise TransitionError(_("Both datasets must come under the same convention."))
    keys = []
    for dataset in (left, right):
        with open_dataset(dataset) as table:
            keys.append(linkage.keys_of(table))
    counts = linkage.link(*keys)
    report = LinkageReport.objects.create(
        convention=left.convention, left=left, right=right, computed_by=actor.user, **vars(counts)
    )
    audit.record(
        actor,
        "transfers.linkage_computed",
        report,
        convention=left.convention.reference,
        by_primary_key=counts.by_primary_key,
        by_secondary_key_only=counts.by_secondary_key_only,
        not_matched=counts.not_matched,
    )
    return report


def delete_datasets_of_closed_conventions(before) -> int:
    """Retention: delete the encrypted bytes of the datasets whose convention closed before `before`;
    the rows stay, with their counts and fingerprint. Runs in the purge's transaction."""
    datasets = Dataset.objects.select_for_update().filter(convention__closed_at__lt=before, deleted_at=None)
    count = 0
    for dataset in datasets:
        stored = dataset.file.name
        dataset.file, dataset.deleted_at = "", timezone.now()
        dataset.save(update_fields=["file", "deleted_at"])
        if stored:
            transaction.on_commit(partial(default_storage.delete, stored))
        count += 1
    return count
