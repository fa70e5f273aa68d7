"""Every write of the OLINPE area: one function per state change, its audit row inside its transaction."""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conventions.models import Partner
from odpe import audit, encryption, files
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.queue import enqueue_on_commit
from uploads.models import Indicator
from uploads.observations import Value, replace_base_observations
from uploads.olinpe.coherence import check_base
from uploads.olinpe.dictionary import Dictionary, read_dictionary, shipped
from uploads.olinpe.indicators import (
    CATALOGUE,
    Figure,
    disclosed,
    measure_history,
    path_figures,
    yearly_figures,
)
from uploads.olinpe.models import VariableDictionary, YearlyBase
from uploads.olinpe.reading import Refused, read_base
from uploads.olinpe.selectors import current_dictionary


@transaction.atomic(durable=True)
def import_dictionary(descriptor: dict, *, actor: Actor) -> VariableDictionary:
    """A newer variable dictionary becomes the one the next imports are checked against.

    Validates: the descriptor must be a Table Schema that keeps the variables the checks rely on
    (SchemaError, French), and carry a version not imported before (TransitionError).
    """
    dictionary = read_dictionary(descriptor)
    if VariableDictionary.objects.filter(version=dictionary.version).exists():
        raise TransitionError(
            _("The version %(version)s of the variable dictionary is already imported.")
            % {"version": dictionary.version}
        )
    imported = VariableDictionary.objects.create(
        version=dictionary.version, descriptor=descriptor, imported_by=actor.user
    )
    audit.record(
        actor,
        "olinpe.dictionary_imported",
        imported,
        version=dictionary.version,
        variables=len(dictionary.names),
    )
    return imported


# The yearly bases -------------------------------------------------------------------------------------

MAX_BYTES = 500 * 1024 * 1024
SUFFIXES = ("csv", "txt", "xlsx")
SOURCE_NAME = "Département — base OLINPE"


@transaction.atomic(durable=True)
def receive_base(year: int, uploaded_file, *, actor: Actor) -> YearlyBase:
    """The referent's yearly extract is kept encrypted and its check queued (a background task).

    Validates: a plausible year, a CSV or xlsx name, a size within `MAX_BYTES`, no base of that year
    already kept (TransitionError, French).
    """
    suffix = uploaded_file.name.rsplit(".", 1)[-1].lower() if "." in uploaded_file.name else ""
    if suffix not in SUFFIXES:
        raise TransitionError(_("Send the base as a CSV file or an .xlsx workbook."))
    if not 2011 <= year <= timezone.localdate().year:
        raise TransitionError(
            _("The year %(year)s is not a year whose base can be imported.") % {"year": year}
        )
    if uploaded_file.size > MAX_BYTES:
        raise TransitionError(_("This file is larger than 500 MB: it cannot be imported."))
    if YearlyBase.objects.filter(year=year).exclude(status=YearlyBase.Status.REFUSED).exists():
        raise TransitionError(_("The base of %(year)s is already imported.") % {"year": year})
    received = files.fingerprint(uploaded_file)
    base = YearlyBase(
        year=year,
        suffix=suffix,
        sha256=received.sha256,
        size=received.size,
        dictionary_version=current_dictionary().version,
        imported_by=actor.user,
    )
    encryption.save_encrypted(base.file, uploaded_file, "base.enc")
    try:
        base.save()
        audit.record(actor, "olinpe.base_received", base, year=year, size=base.size, sha256=base.sha256)
    except BaseException:
        base.file.storage.delete(base.file.name)
        raise
    enqueue_on_commit("uploads.olinpe.tasks.check_base_task", str(base.pk))
    return base


def check_yearly_base(base: YearlyBase) -> YearlyBase:
    """Read, check and turn into indicators a received base; its figures become the Département's
    observations, but for the shares and medians of too few children (`disclosed`). A file refused by the reading (an identity, an unknown column) is deleted at once.
    Safe to run twice: a base already checked or refused is left as it is."""
    base = YearlyBase.objects.get(pk=base.pk)
    if base.status != YearlyBase.Status.RECEIVED:
        return base
    dictionary = dictionary_named(base.dictionary_version)
    try:
        read = _read(base, dictionary)
    except Refused as refusal:
        return _refuse(base, str(refusal))
    bases = {earlier.year: _read(earlier, dictionary).frame for earlier in _earlier_bases(base)}
    coherence = check_base(read.frame, base.year, dictionary, bases.get(base.year - 1))
    bases[base.year] = read.frame
    figures = yearly_figures(read.frame, base.year, dictionary)
    figures += path_figures(measure_history(bases), base.year, dictionary)
    # A masked share or median is not kept as an observation: no dashboard or export can show it.
    figures, secret = disclosed(figures, settings.DISCLOSURE_THRESHOLD)
    return _record_check(base, read, coherence.as_dict() | {"secret": secret}, figures)


def dictionary_named(version: str) -> Dictionary:
    found = VariableDictionary.objects.filter(version=version).first()
    return found.read() if found is not None else shipped()


def _read(base: YearlyBase, dictionary: Dictionary):
    with tempfile.TemporaryDirectory(prefix="olinpe-") as folder:
        path = Path(folder) / f"base.{base.suffix}"
        with path.open("wb") as plain:
            for chunk in encryption.decrypted_chunks(base.file):
                plain.write(chunk)
        return read_base(path, dictionary)


def _earlier_bases(base: YearlyBase):
    return YearlyBase.objects.filter(
        status=YearlyBase.Status.CHECKED, year__lt=base.year, purged_at__isnull=True
    ).exclude(file="")


@transaction.atomic(durable=True)
def _refuse(base: YearlyBase, reason: str) -> YearlyBase:
    base = YearlyBase.objects.select_for_update().get(pk=base.pk)
    if base.file:
        base.file.delete(save=False)
    base.move(YearlyBase.Status.REFUSED, refusal_reason=reason, file="", checked_at=timezone.now())
    audit.record(Actor.platform(), "olinpe.base_refused", base, year=base.year)
    return base


@transaction.atomic(durable=True)
def _record_check(base: YearlyBase, read, report: dict, figures: list[Figure]) -> YearlyBase:
    base = YearlyBase.objects.select_for_update().get(pk=base.pk)
    problems = [
        {
            "field": p.field,
            "code": p.code,
            "message": p.message,
            "count": p.count,
            "examples": list(p.examples),
        }
        for p in read.problems
    ]
    base.move(
        YearlyBase.Status.CHECKED,
        records=read.records,
        report=report,
        problems=problems,
        checked_at=timezone.now(),
    )
    written = replace_base_observations(base, olinpe_source(), _values(figures))
    findings = {finding["code"]: finding["count"] for finding in report["findings"]}
    audit.record(
        Actor.platform(), "olinpe.base_checked", base, year=base.year, observations=written, **findings
    )
    return base


def olinpe_source() -> Partner:
    """The source of the OLINPE figures: the Département, as a partner that consents like the others."""
    source, _created = Partner.objects.get_or_create(
        name=SOURCE_NAME, defaults={"kind": Partner.Kind.DEPARTMENT, "article": Partner.Article.LE}
    )
    return source


def _values(figures: list[Figure]) -> list[Value]:
    indicators = {}
    for code, spec in CATALOGUE.items():
        indicators[code], _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": spec.label,
                "definition": spec.definition,
                "domain": spec.domain,
                "unit": spec.unit,
                "by_territory": "territory" in spec.breakdowns,
                "by_sex": "sex" in spec.breakdowns,
                "by_age_group": "age_group" in spec.breakdowns,
            },
        )
    return [
        Value(indicators[f.indicator].pk, f.territory, f.sex, f.age_group, Decimal(str(f.value)))
        for f in figures
    ]


def purge_old_bases(before) -> int:
    """Delete the encrypted files of the bases whose year ended before `before` (retention); what was
    computed from them (report, fingerprint, observations, transmissions) stays. Returns how many went."""
    old = YearlyBase.objects.filter(year__lt=before.year, purged_at__isnull=True).exclude(file="")
    purged = 0
    for base in old:
        base.file.delete(save=False)
        base.purged_at = timezone.now()
        base.save(update_fields=["file", "purged_at"])
        purged += 1
    return purged
