"""How an annual report becomes a page and a PDF: its chapters drawn on the server, the same for every reader.

Commentary is Markdown turned into HTML and then cleaned by nh3 (an allow-list: no script, no event
attribute, no `javascript:` address can reach a page). Figures are drawn from the public snapshot of the
report's published dashboard with the dashboard's own templates, so they are masked and sourced exactly
as there, and pick up any change to how the dashboard draws them.
"""

from __future__ import annotations

from collections.abc import Callable

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dashboards import exports, rendering, snapshot
from dashboards.models import AnnualReport, Document, ReportChapter

Kind = ReportChapter.Kind
TAGS = {
    *("h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ul", "ol", "li", "strong", "em", "code", "pre"),
    *("a", "table", "thead", "tbody", "tr", "th", "td", "abbr"),
}
ATTRIBUTES = {
    **{heading: {"id"} for heading in ("h3", "h4", "h5", "h6")},
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def commentary(text: str, anchor: str) -> tuple[SafeString, list[dict]]:
    """A chapter's Markdown as clean HTML, its headings one level below the chapter's own (`#` is an
    h3), each with an id under `anchor`; and those headings, for the table of contents."""
    converter = markdown.Markdown(
        extensions=["tables", "toc"],
        extension_configs={
            "toc": {"baselevel": 3, "slugify": lambda value, _separator: f"{anchor}-{slugify(value)}"}
        },
    )
    html = converter.convert(text)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES)
    return mark_safe(clean), _flat(converter.toc_tokens)  # noqa: S308 (cleaned by nh3 just above)


def _flat(tokens: list[dict]) -> list[dict]:
    return [
        entry
        for token in tokens
        for entry in [{"id": token["id"], "title": token["name"]}, *_flat(token["children"])]
    ]


def figures_of(content: dict, codes: list[str], left_out: frozenset[str] = frozenset()) -> dict:
    """The public snapshot reduced to the figures a chapter names, in the dashboard's order, without
    those of a source left out of the report's publication."""
    wanted = set(codes)
    sections = [
        {
            **section,
            "figures": [
                figure
                for figure in section["figures"]
                if figure["indicator"] in wanted and not left_out & set(figure["sources"])
            ],
        }
        for section in content["sections"]
    ]
    sections = [section for section in sections if section["figures"]]
    used = {source for section in sections for figure in section["figures"] for source in figure["sources"]}
    return {
        **content,
        "sections": sections,
        "sources": [source for source in content["sources"] if source["id"] in used],
    }


def figure_choices(content: dict) -> list[tuple[str, str]]:
    """Every figure of a published snapshot, for the referent to pick from: (indicator code, label)."""
    return [
        (figure["indicator"], f"{section['title']} — {figure['label']}")
        for section in content["sections"]
        for figure in section["figures"]
    ]


def carried_content(report: AnnualReport) -> dict:
    """Every figure the report's chapters carry, as its readers see them."""
    codes = [code for chapter in report.chapters.filter(kind=Kind.FIGURES) for code in chapter.figures]
    return figures_of(report.dashboard.published_content, codes)


def report_context(
    report: AnnualReport, *, logo_url: Callable[[str], str] | None, source: str | None = None
) -> dict:
    """Every chapter ready to draw, and the table of contents made from their headings; with `source`,
    the figures chapters keep only that source's figures (what it is asked to consent to)."""
    content = report.dashboard.published_content
    left_out = frozenset(
        str(pk) for pk in report.consent_requests.filter(left_out=True).values_list("partner_id", flat=True)
    )
    chapters, contents = [], []
    for chapter in report.chapters.prefetch_related("documents"):
        anchor = f"chapter-{chapter.position}"
        item: dict = {"chapter": chapter, "anchor": anchor}
        item["html"], item["headings"] = commentary(chapter.body, anchor)
        if chapter.kind == Kind.FIGURES:
            item["content"] = figures_of(content, chapter.figures, left_out)
            if source is not None:
                item["content"] = snapshot.restricted_to(item["content"], source)
        elif chapter.kind == Kind.STUDIES:
            item["documents"] = [d for d in chapter.documents.all() if d.status == Document.Status.VALIDATED]
        chapters.append(item)
        contents.append({"id": anchor, "title": chapter.title, "headings": item["headings"]})
    return {
        "report": report,
        "version": report.dashboard,
        "content": content,
        "sources": {source["id"]: source for source in content.get("sources", [])},
        "contributors": rendering.contributors(content, logo_url),
        "chapters": chapters,
        "contents": contents,
        "internal": False,
        "observatory": settings.OBSERVATORY,
    }


def report_body(
    report: AnnualReport,
    *,
    logo_url: Callable[[str], str] | None,
    nested: bool = False,
    source: str | None = None,
) -> str:
    """The report's HTML; `nested` inside another page, under that page's own h1; with `source`, only
    that source's figures among the commentary (see `report_context`)."""
    context = {**report_context(report, logo_url=logo_url, source=source), "nested": nested}
    return render_to_string("dashboards/reports/partials/_report.html", context)


def make_pdf(report: AnnualReport) -> bytes:
    """The report as an accessible PDF (PDF/UA-1: tagged, in French, titled, the charts' names as their
    alternative text), with the dashboard's print stylesheet. WeasyPrint fetches nothing: logos are
    embedded."""
    from weasyprint import CSS, HTML  # imported when a PDF is made: it loads pango
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    logos = exports.embedded_logos(report.dashboard.published_content)
    html = render_to_string("dashboards/reports/report_pdf.html", report_context(report, logo_url=logos.get))
    stylesheets = [
        CSS(string=exports.static_text(name), url_fetcher=fetcher)
        for name in ("css/dashboard.css", "css/dashboard-pdf.css")
    ]
    stylesheets.append(CSS(string=_page_rules(report), url_fetcher=fetcher))
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1")


def _page_rules(report: AnnualReport) -> str:
    running = _("%(observatory)s — %(year)s annual report") % {
        "observatory": settings.OBSERVATORY["short_name"],
        "year": report.data_year,
    }
    quoted = '"' + running.replace("\\", "\\\\").replace('"', '\\"') + '"'
    page = _("Page").replace('"', "")
    return (
        "@page { @bottom-left { content: " + quoted + "; }"
        ' @bottom-right { content: "' + page + ' " counter(page) " / " counter(pages); } }'
    )


def pdf_filename(report: AnnualReport) -> str:
    return f"rapport-annuel-{report.data_year}.pdf"
