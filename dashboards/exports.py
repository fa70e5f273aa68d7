"""A published dashboard as files: PDF, XLSX, CSV and the CSV's Table Schema.

Every export is made from the frozen public snapshot (`published_content`) and from nothing else: never
from the observations, never from the internal `content`. Masked values are absent from that snapshot,
so no export can hold one; every masked cell reads « secret statistique » and nothing says why it is masked
(which one is the small count is what the complementary cells hide). Text cells that a spreadsheet would run as a formula are neutralised
(`odpe.spreadsheets.neutralise`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as shared_cache
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from conventions.models import Partner
from dashboards import rendering
from dashboards.models import DashboardVersion
from dashboards.templatetags.figures import dimension_label
from odpe.spreadsheets import csv_lines, neutralise
from uploads.models import Indicator


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str


FORMATS = {
    "pdf": Format("pdf", "application/pdf", "PDF"),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ),
    "csv": Format("csv", "text/csv; charset=utf-8", "CSV"),
    "schema": Format("schema.json", "application/json", "Table Schema (JSON)"),
}
MASKED_TEXT = "secret statistique"  # what a masked cell reads in every file, whatever the language
# The CSV's columns: fixed names, described in its Table Schema (open-data reuse needs stable names).
CSV_FIELDS = [
    "indicateur_code",
    "indicateur",
    "domaine",
    "unite",
    "annee",
    "dimension",
    "modalite",
    "valeur",
    "secret_statistique",
    "sources",
]
DIMENSION_CODES = {"": "ensemble", "territory": "territoire", "sex": "sexe", "age_group": "tranche_age"}
UNIT_CODES = {
    "count": "effectif",
    "rate": "taux_pourcent",
    "per_thousand": "taux_pour_mille",
    "amount": "montant_euros",
    "days": "jours",
}


def filename(version: DashboardVersion, kind: str) -> str:
    observatory = slugify(f"{settings.OBSERVATORY['short_name']} {settings.OBSERVATORY['department']}")
    return f"tableau-de-bord-{observatory}-{version.data_year}-v{version.number}.{FORMATS[kind].extension}"


def render(version: DashboardVersion, kind: str) -> bytes:
    """The file of a published version, made once per language (it never changes). The PDF in the
    site's language was drawn at publication (`dashboards.services.make_version_pdf`)."""
    if kind == "pdf" and version.pdf and get_language() == settings.LANGUAGE_CODE:
        with version.pdf.open("rb") as file:
            return file.read()
    key = rendering.cache_key(version, kind)
    data = shared_cache.get(key)
    if data is None:
        data = MAKERS[kind](version)
        shared_cache.set(key, data, rendering.CACHE_TIMEOUT)
    return data


# Values, one row per published value -----------------------------------------------------------


def source_names(figure: dict, content: dict) -> list[str]:
    names = {source["id"]: source["name"] for source in content["sources"]}
    return [names[source] for source in figure["sources"] if source in names]


def value_rows(content: dict) -> Iterator[dict]:
    """Every value the snapshot publishes: each figure's years, then its breakdowns of the data year."""
    for section in content["sections"]:
        for figure in section["figures"]:
            common = {
                "figure": figure,
                "section": section,
                "sources": source_names(figure, content),
            }
            for point in figure["trend"]:
                yield {**common, "year": point["year"], "dimension": "", "label": "", "cell": point}
            for breakdown in figure["breakdowns"]:
                for row in breakdown["rows"]:
                    yield {
                        **common,
                        "year": content["data_year"],
                        "dimension": breakdown["dimension"],
                        "label": row["label"],
                        "cell": row,
                    }


def csv_rows(content: dict) -> Iterator[list]:
    for row in value_rows(content):
        figure, cell = row["figure"], row["cell"]
        yield [
            figure["indicator"],
            figure["label"],
            domain_label(row["section"]["domain"]),
            UNIT_CODES.get(figure["unit"], figure["unit"]),
            row["year"],
            DIMENSION_CODES.get(row["dimension"], row["dimension"]),
            row["label"],
            "" if cell["value"] is None else _plain_number(cell["value"]),
            MASKED_TEXT if cell["masked"] else "",
            " ; ".join(row["sources"]),
        ]


def domain_label(code: str) -> str:
    """« Enfants en danger » rather than `children_in_danger`: the CSV is read by people too."""
    return str(Indicator.Domain(code).label) if code in Indicator.Domain.values else code


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def make_csv(version: DashboardVersion) -> bytes:
    lines = csv_lines(CSV_FIELDS, csv_rows(version.published_content))
    return "".join(lines).encode("utf-8")


def table_schema(version: DashboardVersion) -> dict:
    """The CSV described as a Frictionless Table Schema: names, types, constraints, key."""
    field = _schema_field
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "title": _("%(observatory)s — %(year)s dashboard, version %(number)s: published values")
        % {
            "observatory": settings.OBSERVATORY["name"],
            "year": version.data_year,
            "number": version.number,
        },
        "fields": [
            field("indicateur_code", "string", _("Indicator code"), required=True),
            field("indicateur", "string", _("Indicator"), required=True),
            field(
                "domaine",
                "string",
                _("Domain of the Loire convention (art. 4)"),
                required=True,
                enum=[str(label) for label in Indicator.Domain.labels],
            ),
            field(
                "unite",
                "string",
                _("Unit: count, rate in percent, amount in euros, or days"),
                enum=list(UNIT_CODES.values()),
            ),
            field("annee", "year", _("Data year"), required=True),
            field(
                "dimension",
                "string",
                _("Breakdown: the whole (ensemble), territory, sex or age group"),
                enum=list(DIMENSION_CODES.values()),
            ),
            field("modalite", "string", _("The breakdown's category (empty for the whole)")),
            field(
                "valeur",
                "number",
                _("Value; empty when it is masked (statistical confidentiality)"),
            ),
            field(
                "secret_statistique",
                "string",
                _("“secret statistique” when the value is masked (statistical confidentiality)"),
                enum=["", MASKED_TEXT],
            ),
            field("sources", "string", _("The partners the value comes from, separated by “ ; ”")),
        ],
        "missingValues": [""],
        "primaryKey": ["indicateur_code", "annee", "dimension", "modalite"],
        "dialect": {"delimiter": ";", "header": True},
    }


def _schema_field(name: str, kind: str, description: str, required: bool = False, enum=None) -> dict:
    described = {"name": name, "type": kind, "description": description}
    constraints = {}
    if required:
        constraints["required"] = True
    if enum is not None:
        constraints["enum"] = enum
    if constraints:
        described["constraints"] = constraints
    return described


def make_schema(version: DashboardVersion) -> bytes:
    return json.dumps(table_schema(version), ensure_ascii=False, indent=2).encode("utf-8")


# XLSX ----------------------------------------------------------------------------------------------


def make_xlsx(version: DashboardVersion) -> bytes:
    """A sheet about the dashboard, a sheet per section (a Source column on every row), and the
    contributors. A masked cell reads “secret statistique”, the about sheet says what that means."""
    content = version.published_content
    workbook = Workbook()
    _about_sheet(workbook.active, version, content)
    used_titles: set[str] = set()
    for section in content["sections"]:
        sheet = workbook.create_sheet(_sheet_title(section["title"], used_titles))
        _section_sheet(sheet, section, content)
    _contributors_sheet(workbook.create_sheet(_sheet_title(_("Contributors"), used_titles)), content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    return neutralise(value)


def _about_sheet(sheet, version: DashboardVersion, content: dict) -> None:
    sheet.title = _("About")[:31]
    rows = [
        (_("Observatory"), settings.OBSERVATORY["name"]),
        (_("Department"), settings.OBSERVATORY["department"]),
        (
            _("Dashboard"),
            _("Data year %(year)s, version %(number)s")
            % {"year": version.data_year, "number": version.number},
        ),
        (_("Published on"), date_format(version.published_at, "j F Y")),
        (
            _("Statistical confidentiality"),
            _(
                "Counts from 1 to %(last)s are masked (“secret statistique”), as are the values that "
                "would let them be worked out from the totals."
            )
            % {"last": content["threshold"] - 1},
        ),
    ]
    if content.get("left_out"):
        rows.append(
            (
                _("Sources left out"),
                ngettext(
                    "Not in this version, at the request of the source: %(sources)s.",
                    "Not in this version, at the request of the sources: %(sources)s.",
                    len(content["left_out"]),
                )
                % {"sources": ", ".join(content["left_out"])},
            )
        )
    for label, value in rows:
        sheet.append([_text(label), _text(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 100


def _section_sheet(sheet, section: dict, content: dict) -> None:
    header = [
        _("Indicator"),
        _("Code"),
        _("Unit"),
        _("Year"),
        _("Breakdown"),
        _("Category"),
        _("Value"),
        _("Source"),
    ]
    sheet.append([_text(title) for title in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in value_rows({**content, "sections": [section]}):
        figure, cell = row["figure"], row["cell"]
        masked = cell["value"] is None and cell["masked"]
        sheet.append(
            [
                _text(figure["label"]),
                _text(figure["indicator"]),
                _text(_unit_label(figure["unit"])),
                row["year"],
                _text(dimension_label(row["dimension"]) if row["dimension"] else _("Whole")),
                _text(row["label"]),
                MASKED_TEXT if masked else cell["value"],
                _text(", ".join(row["sources"])),
            ]
        )
    for index, width in enumerate([50, 24, 12, 8, 22, 28, 18, 50], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _unit_label(unit: str) -> str:
    return str(dict(Indicator.Unit.choices).get(unit, unit))


def _contributors_sheet(sheet, content: dict) -> None:
    sheet.append([_text(_("Contributor")), _text(_("Short name"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for source in content["sources"]:
        sheet.append([_text(source["name"]), _text(source.get("short_name", ""))])
    for name in content.get("left_out", []):
        sheet.append([_text(name), _text(_("left out of this version at the source’s request"))])
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 50


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's rules: 31 characters at most, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()[:31] or "-"
    candidate, number = clean, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


# PDF -----------------------------------------------------------------------------------------------


def make_pdf(version: DashboardVersion) -> bytes:
    """The page's HTML with the print stylesheet, through WeasyPrint, as a tagged PDF (PDF/UA-1) carrying
    every chart of the page, each with its title as alternative text. Logos are embedded; WeasyPrint
    fetches nothing (no network, no file outside what is given here)."""
    from weasyprint import CSS, HTML  # imported when a PDF is made: it loads pango
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})  # the embedded logos; nothing from a network or disk

    content = version.published_content
    logos = embedded_logos(content)
    context = rendering.dashboard_context(version, content, logo_url=logos.get)
    html = render_to_string("dashboards/published_pdf.html", context)
    stylesheets = [
        CSS(string=static_text(name), url_fetcher=fetcher)
        for name in ("css/dashboard.css", "css/dashboard-pdf.css")
    ]
    stylesheets.append(CSS(string=_page_rules(version), url_fetcher=fetcher))
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1")


def static_text(name: str) -> str:
    with open(finders.find(name), encoding="utf-8") as file:
        return file.read()


def _page_rules(version: DashboardVersion) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    running = _("%(observatory)s — %(year)s dashboard") % {
        "observatory": settings.OBSERVATORY["short_name"],
        "year": version.data_year,
    }
    return (
        "@page { @bottom-left { content: " + quoted(running) + "; }"
        " @bottom-right { content: " + quoted(_("Page") + " ") + ' counter(page) " / " counter(pages); } }'
        " @page :first { @bottom-left { content: none; } @bottom-right { content: none; } }"
    )


def embedded_logos(content: dict) -> dict[str, str]:
    ids = [source["id"] for source in content["sources"] if source.get("has_logo")]
    return {
        str(partner.pk): rendering.embedded_logo(partner.logo)
        for partner in Partner.objects.filter(pk__in=ids).exclude(logo="")
    }


MAKERS = {"pdf": make_pdf, "xlsx": make_xlsx, "csv": make_csv, "schema": make_schema}
