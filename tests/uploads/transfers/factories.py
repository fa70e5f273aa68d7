"""Pseudonymised datasets for the tests: keys computed as annex 1 says, files written as partners send them."""

import hashlib
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from conventions.models import Partner
from odpe.audit import Actor
from tests.conventions.factories import PartnerFactory, data_transfer_with_recipient
from uploads.transfers import services
from uploads.transfers.models import Designation


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def person(name: str, first_name: str, day: str = "01", month: str = "01", year: str = "2000") -> dict:
    """One young person's row: the two keys and the birth month and year, nothing else of their identity."""
    return {
        "cle_primaire": sha(f"{name}{first_name}{day}{month}{year}"),
        "cle_secondaire": sha(f"{name}{month}{year}"),
        "mois_naissance": month,
        "annee_naissance": year,
    }


def csv_bytes(rows: list[dict], *, delimiter: str = ";", encoding: str = "utf-8", header=None) -> bytes:
    header = header or list(rows[0])
    lines = [delimiter.join(header)] + [
        delimiter.join(str(row.get(name, "")) for name in header) for row in rows
    ]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: list[dict]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "jeu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def designate(convention, partner, user) -> Designation:
    return Designation.objects.create(convention=convention, partner=partner, user=user)


def department() -> Partner:
    return Partner.objects.filter(kind=Partner.Kind.DEPARTMENT).first() or PartnerFactory(
        name="Département de la Loire", kind=Partner.Kind.DEPARTMENT, article="le"
    )


def transfer_convention(recipient: Partner, sender: Partner, **fields):
    """PIPASE in force: `sender` (the Département or an external partner) sends to `recipient`."""
    return data_transfer_with_recipient(recipient, sender, ends_on=None, **fields)


def receive(convention, partner, rows, user, *, base="iodas_ase", label="Extraction", content=None):
    return services.receive_dataset(
        convention,
        partner,
        base=base,
        label=label,
        uploaded_file=upload(content if content is not None else csv_bytes(rows)),
        actor=Actor(user=user),
    )
