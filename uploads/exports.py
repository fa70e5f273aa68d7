"""Files the collection hands out: partners' templates, annotated reports, the completeness matrix."""

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from conventions.models import Partner
from odpe.accounts import access
from uploads.models import Campaign, SubmissionVersion, TableSpec
from uploads.selectors import MatrixRow, due_dates
from uploads.workbooks import TemplateInfo, TemplateTable, build_template, report_workbook


def _due_dates_of(campaign: Campaign, partner: Partner) -> dict:
    return {
        spec_id: day for (partner_id, spec_id), day in due_dates(campaign).items() if partner_id == partner.pk
    }


def specs_expected_from(campaign: Campaign, partner: Partner) -> list[TableSpec]:
    return list(TableSpec.objects.filter(pk__in=_due_dates_of(campaign, partner)).order_by("code"))


def partner_template(campaign: Campaign, partner: Partner) -> bytes | None:
    """The workbook the partner fills for the campaign; None when it owes no table in it. It names the
    earliest date agreed with the partner for its tables."""
    observatory = settings.OBSERVATORY
    dates = _due_dates_of(campaign, partner)
    info = TemplateInfo(
        observatory=f"{observatory['name']} — {observatory['department']}",
        partner=partner.name,
        partner_article=partner.article,
        data_year=campaign.data_year,
        due_on=min(dates.values(), default=campaign.due_on),
        contacts=[
            _("ODPE referent: %(name)s — %(email)s")
            % {"name": user.get_full_name() or user.email, "email": user.email}
            for user in access.referents().order_by("last_name")
        ],
    )
    tables = [
        TemplateTable(sheet_name=spec.sheet_name, title=spec.title, schema=spec.schema)
        for spec in specs_expected_from(campaign, partner)
    ]
    return build_template(info, tables) if tables else None


def report_alone(version: SubmissionVersion) -> bytes:
    """The « Rapport » sheet alone, for a version whose file is not annotated (refused as a whole, deleted
    or without findings): at most `MAX_FINDINGS` rows, quick enough for a request."""
    return report_workbook([*version.findings.errors, *version.findings.warnings])


def matrix_rows(specs: list[TableSpec], rows: list[MatrixRow]) -> tuple[list[str], list[list]]:
    """The completeness matrix as a spreadsheet: one line per expected table, in the observatory's language."""
    with translation.override(settings.LANGUAGE_CODE):
        header = [
            _("Partner"),
            _("Table"),
            _("Due on"),
            _("Status"),
            _("Late"),
            _("Latest version"),
            _("Sent on"),
        ]
        lines = []
        for row in rows:
            for spec, cell in zip(specs, row.cells, strict=True):
                if cell is None:
                    continue
                latest = cell.submission.latest_version if cell.submission else None
                lines.append(
                    [
                        row.partner.name,
                        spec.title,
                        formats.date_format(cell.due_on, "SHORT_DATE_FORMAT"),
                        cell.get_status_display() if cell.expected else _("No longer expected"),
                        _("yes") if cell.late else _("no"),
                        latest.number if latest else "",
                        formats.date_format(latest.uploaded_at, "SHORT_DATE_FORMAT") if latest else "",
                    ]
                )
    return header, lines
