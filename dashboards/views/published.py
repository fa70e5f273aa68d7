"""The extranet's dashboards: published versions for the members, and for anyone when published for the public.

Anonymous visitors reach these pages (`login_not_required`); the selectors decide what each person sees:
a version that is not published, or not public for someone outside the observatory's bodies, is a 404.
"""

from functools import partial

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from conventions.logos import logo_response
from dashboards import comparison, exports, rendering, selectors
from dashboards.forms import CompareForm
from odpe.accounts.access import EDITORS
from odpe.accounts.roles import role_required


@login_not_required
@require_safe
def published_list(request):
    years = selectors.publications_by_year_for(request.user)
    return render(request, "dashboards/published_list.html", {"years": years})


@login_not_required
@require_safe
def published_detail(request, year):
    """A year's current dashboard: its latest published version."""
    page = partial(_dashboard_page, request, year=year)
    if rendering.shared_visit(request):
        return rendering.shared_page(request, ("year", year), page)
    return page()


@login_not_required
@require_safe
def published_version(request, pk):
    page = partial(_dashboard_page, request, pk=pk)
    if rendering.shared_visit(request):
        return rendering.shared_page(request, ("version", pk), page)
    return page()


def _dashboard_page(request, *, year=None, pk=None):
    """A published version never changes: its page comes from the cache, and a browser that has the
    page already gets a 304."""
    # Every publication the reader sees, in one query: the page's version, its year's other versions and
    # whether another year is published (the comparison link, which the ETag follows).
    years = selectors.publications_by_year_for(request.user)
    publications, version = selectors.find_publication(years, year=year, pk=pk)
    comparable = sum(entry.current is not None for entry in years) > 1
    etag, last_modified = rendering.page_validators(request, version, "comparable" if comparable else "")
    if not_modified := get_conditional_response(request, etag=etag, last_modified=last_modified):
        return not_modified

    def context():  # needed only when the page is not kept yet
        return {
            "version": version,
            "content": {"data_year": version.data_year},
            "body": rendering.published_body(version),
            "publications": publications,
            "formats": exports.FORMATS,
            "comparable": comparable,
        }

    shown = [publications.current, *publications.earlier, *publications.withdrawn]
    response = rendering.page_with_holes(
        request,
        "dashboards/published_detail.html",
        context,
        versions=shown,
        variant="comparable" if comparable else "",
    )
    return _validated(response, etag, last_modified)


def _validated(response, etag: str, last_modified: int):
    response["ETag"], response["Last-Modified"] = etag, http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_not_required
@require_safe
def published_section(request, pk, domain):
    """One section of a published version: its figures in full (charts, trends, breakdowns)."""
    page = partial(_section_page, request, pk, domain)
    if rendering.shared_visit(request):
        return rendering.shared_page(request, ("section", pk, domain), page)
    return page()


def _section_page(request, pk, domain):
    version = selectors.get_published_version_for(request.user, pk)
    sections = rendering.published_sections(version)
    section = next((section for section in sections if section["domain"] == domain), None)
    if section is None:
        raise Http404
    etag, last_modified = rendering.page_validators(request, version, part=domain)
    if not_modified := get_conditional_response(request, etag=etag, last_modified=last_modified):
        return not_modified

    def context():
        return {
            "version": version,
            "section": section,
            "sections": sections,
            "body": rendering.published_section_body(version, domain),
        }

    response = rendering.page_with_holes(
        request, "dashboards/published_section.html", context, versions=[version]
    )
    return _validated(response, etag, last_modified)


@login_not_required
@require_safe
def compare(request):
    versions = selectors.latest_published_by_year_for(request.user)
    form = CompareForm(request.GET, years=list(versions))
    context = {"versions": versions, "form": form, "sections": None}
    if len(versions) > 1 and form.is_valid():
        before, after = versions[form.cleaned_data["before"]], versions[form.cleaned_data["after"]]
        if before.data_year > after.data_year:
            before, after = after, before
        context.update(
            before=before,
            after=after,
            sections=comparison.compare(before.published_content, after.published_content),
        )
    return render(request, "dashboards/compare.html", context)


@login_not_required
@require_safe
def export(request, pk, kind):
    """PDF, XLSX, CSV or Table Schema of a published version, made from its frozen public snapshot."""
    version = selectors.get_published_version_for(request.user, pk)
    if kind not in exports.FORMATS:
        raise Http404
    etag, last_modified = rendering.download_validators(version, kind)
    if not_modified := get_conditional_response(request, etag=etag, last_modified=last_modified):
        return not_modified
    response = HttpResponse(exports.render(version, kind), content_type=exports.FORMATS[kind].content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(version, kind)}"'
    return _validated(response, etag, last_modified)


@login_not_required
@require_safe
def contributor_logo(request, pk, partner_pk):
    """A contributor's logo, for whoever may read the version that credits it (logos stay private
    files: served by this view only, never from a storage address)."""
    version = selectors.get_published_version_for(request.user, pk)
    partner = selectors.get_contributor_for(version, partner_pk)
    response = logo_response(partner.logo)
    patch_cache_control(response, private=True, max_age=3600)
    return response


@role_required(*EDITORS)
def version_preview(request, pk):
    """The ODPE team sees a version as readers will: masked values removed, left-out sources gone."""
    version = selectors.get_version_for(request.user, pk)
    content = selectors.public_content_of(version)
    if content is None:
        raise Http404
    context = rendering.dashboard_context(version, content, logo_url=rendering.team_logo_url)
    return render(request, "dashboards/version_preview.html", context)
