"""How a dashboard snapshot becomes a page: one set of templates for every reader.

The ODPE team's internal preview renders `content` (masked cells keep their raw value, marked internal);
everything else renders a public snapshot (`published_content`, or `selectors.public_content_of` before
publication), where masked values are absent. A published version never changes, so its rendered body
is cached once per language and reused for every reader; the whole page is cached too, per set of roles,
with holes for what is personal (`page_with_holes`); the pages answer conditional requests (ETag,
Last-Modified) so that a browser that already has the page gets a 304.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as shared_cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.text import compress_string
from django.utils.translation import get_language

from conventions.logos import logo_content_type
from dashboards.models import DashboardVersion
from odpe.accounts.roles import roles_of

CACHE_TIMEOUT = 30 * 24 * 3600  # a published body never changes; the key changes with the code
# The files a rendered dashboard depends on: a deployment that changes one renders again.
RENDERED_FROM = [
    "dashboards/charts.py",
    "dashboards/maps.py",
    "dashboards/rendering.py",
    "dashboards/exports.py",
    "dashboards/templatetags/figures.py",
    "templates/dashboards/partials",
    "templates/dashboards/published_pdf.html",
    "static/css/dashboard.css",
    "static/css/dashboard-pdf.css",
    # What the pages kept whole by `page_with_holes` are made of besides.
    "templates/base.html",
    "templates/partials",
    "templates/dashboards/published_detail.html",
    "templates/dashboards/published_section.html",
    "static/css",
    "static/js",
    "locale",
]


@cache
def render_version() -> str:
    """A fingerprint of the code and templates that draw a dashboard, and of the observatory's identity."""
    settings_shown = [sorted(settings.OBSERVATORY.items()), sorted(settings.PUBLIC_PAGES.items())]
    digest = hashlib.sha256(repr(settings_shown).encode())
    root = Path(settings.BASE_DIR)
    for name in RENDERED_FROM:
        path = root / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(version: DashboardVersion, kind: str) -> str:
    return f"dashboard:{version.pk}:{kind}:{get_language()}:{render_version()}"


def published_logo_url(version: DashboardVersion) -> Callable[[str], str]:
    return lambda partner: reverse("dashboards:contributor_logo", args=[version.pk, partner])


def team_logo_url(partner: str) -> str:
    return reverse("conventions:partner_logo", args=[partner])


def contributors(content: dict, logo_url: Callable[[str], str] | None) -> list[dict]:
    """Every source the snapshot shows, by name, with its logo's address when it has one (Loire art. 5)."""
    return [
        {
            "id": source["id"],
            "name": source["name"],
            "short_name": source.get("short_name", ""),
            "logo": logo_url(source["id"]) if logo_url and source.get("has_logo") else "",
        }
        for source in sorted(content.get("sources", []), key=lambda source: source["name"].casefold())
    ]


def dashboard_context(
    version: DashboardVersion,
    content: dict,
    *,
    internal: bool = False,
    logo_url: Callable[[str], str] | None = None,
) -> dict:
    return {
        "version": version,
        "content": content,
        "sources": {source["id"]: source for source in content.get("sources", [])},
        "contributors": contributors(content, logo_url),
        "internal": internal,
        "observatory": settings.OBSERVATORY,
    }


def published_body(version: DashboardVersion) -> str:
    """The body of a published version's page (how to read it, each section at a glance, the
    contributors), rendered once. Charts and breakdowns are on each section's page: a dashboard of
    two hundred indicators by fifty territories would otherwise be a page of several megabytes."""
    key = cache_key(version, "summary")
    body = shared_cache.get(key)
    if body is None:
        context = dashboard_context(version, version.published_content, logo_url=published_logo_url(version))
        body = render_to_string("dashboards/partials/_summary.html", context)
        shared_cache.set(key, body, CACHE_TIMEOUT)
    return body


def published_sections(version: DashboardVersion) -> list[dict]:
    """The domain and title of each section of a published version, kept: a section's page needs them for
    its menu and its 404, and would otherwise read the whole snapshot (megabytes on a large dashboard)
    at every request."""
    key = cache_key(version, "sections")
    sections = shared_cache.get(key)
    if sections is None:
        sections = [
            {"domain": section["domain"], "title": section["title"]}
            for section in version.published_content["sections"]
        ]
        shared_cache.set(key, sections, CACHE_TIMEOUT)
    return sections


def published_section_body(version: DashboardVersion, domain: str) -> str:
    """A section's page body: its figures with their charts, trends, breakdowns and sources, rendered once."""
    key = cache_key(version, f"section-{domain}")
    body = shared_cache.get(key)
    if body is None:
        [section] = [s for s in version.published_content["sections"] if s["domain"] == domain]
        content = {**version.published_content, "sections": [section]}
        context = {**dashboard_context(version, content), "standalone": True}
        body = render_to_string("dashboards/partials/_figures.html", context)
        shared_cache.set(key, body, CACHE_TIMEOUT)
    return body


def shared_visit(request) -> bool:
    """A visitor with no account, no session and no message waiting: every such visitor gets the same
    page (nothing personal in it, not even a form token)."""
    return not request.user.is_authenticated and not {
        settings.SESSION_COOKIE_NAME,
        CookieStorage.cookie_name,
    } & set(request.COOKIES)


# Pages answered to shared visits, kept in each web process for SHARED_PAGE_SECONDS: the public, the bulk
# of the readers, then costs about what a static file does. A correction or a withdrawal reaches them
# within that delay.
_shared_pages: dict[tuple, tuple[float, dict]] = {}
SHARED_PAGES_KEPT = 256


def shared_page(request, key: tuple, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page for a shared visit (see `shared_visit`), built by `build` at most once per delay and per
    process, and sent compressed to browsers that accept it (with no secret in it, compression leaks
    nothing). `build` may raise Http404: nothing is kept then."""
    key = (*key, get_language())
    now = time.monotonic()
    expires, page = _shared_pages.get(key, (0.0, None))
    if page is None or expires < now:
        response = build()
        if response.status_code != 200:
            return response
        page = {
            "plain": response.content,
            "gzip": compress_string(response.content),
            "headers": {
                name: response[name]
                for name in ("ETag", "Last-Modified", "Cache-Control")
                if name in response
            },
        }
        if len(_shared_pages) >= SHARED_PAGES_KEPT:
            _shared_pages.clear()
        _shared_pages[key] = (now + settings.SHARED_PAGE_SECONDS, page)
    if not_modified := get_conditional_response(request, etag=page["headers"].get("ETag")):
        return not_modified
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    response = HttpResponse(page["gzip"] if gzip else page["plain"], headers=page["headers"])
    patch_vary_headers(response, ["Accept-Encoding"])
    if gzip:
        response["Content-Encoding"] = "gzip"
    return response


@dataclass(frozen=True)
class _Reader:
    """The reader as a page kept for many readers knows them: signed in or not, their e-mail a hole."""

    is_authenticated: bool
    email: str


@cache
def _hole(name: str) -> str:
    """A placeholder that no text of a dashboard contains by chance (it derives from SECRET_KEY), the
    same in every web process since the cache is shared."""
    return "hole-" + salted_hmac("dashboards.rendering.hole", name).hexdigest()[:32]


def page_with_holes(
    request,
    template: str,
    context: Callable[[], dict],
    *,
    versions: Iterable[DashboardVersion],
    variant: str = "",
) -> HttpResponse:
    """A published version's page, rendered once per address, state of `versions` (those the page
    shows), `variant` (whatever else it shows that may change), language and set of roles, and kept in the shared cache with holes where it is personal —
    the reader's e-mail and the sign-out form's token — filled for each request. Everything else the
    layout shows (the menu, the breadcrumbs) follows the roles, so a page rendered for the ODPE team
    never reaches a member. A withdrawal or a new version changes the state, hence the key. A request
    with a query string, or with messages to show, gets the page rendered for it alone. `context` is
    called only when the page is rendered: a kept page needs none of its parts."""
    if request.META.get("QUERY_STRING") or len(messages.get_messages(request)):
        return render(request, template, context())
    parts = [
        request.path,
        *(f"{version.pk}:{version.status}:{version.published_at}" for version in versions),
        variant,
        get_language(),
        render_version(),
        _hole("email"),  # a new SECRET_KEY makes new holes: pages kept with the old ones are not read
        str(request.user.is_authenticated),
        *sorted(roles_of(request.user)),
    ]
    key = "dashboard-page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    segments = shared_cache.get(key)
    if segments is None:
        reader = _Reader(request.user.is_authenticated, _hole("email"))
        page = render_to_string(template, {**context(), "user": reader, "csrf_token": _hole("csrf")}, request)
        # Kept cut at its holes (which the odd segments are): filling them is one join, not a search
        # through the whole page for each hole.
        segments = re.split(f"({_hole('email')}|{_hole('csrf')})", page)
        shared_cache.set(key, segments, CACHE_TIMEOUT)
    holes = segments[1::2]
    filling = {
        _hole("email"): escape(getattr(request.user, "email", "")),
        _hole("csrf"): get_token(request) if _hole("csrf") in holes else "",
    }
    return HttpResponse("".join(filling[part] if i % 2 else part for i, part in enumerate(segments)))


def page_validators(request, version: DashboardVersion, part: str = "") -> tuple[str, int]:
    """ETag and Last-Modified of a published version's page (or of one of its sections). The page carries
    the reader's menu and a form token, so the ETag follows the person, their roles (a role granted or
    taken back changes the menu), their CSRF cookie and the language as well."""
    parts = [
        str(version.pk),
        part,
        version.published_at.isoformat(),
        get_language(),
        render_version(),
        str(request.user.pk or "anonymous"),
        *sorted(roles_of(request.user)),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    ]
    etag = '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'
    return etag, int(version.published_at.timestamp())


def download_validators(version: DashboardVersion, kind: str) -> tuple[str, int]:
    """A download is the same for everyone who may have it."""
    etag = '"' + hashlib.sha256(cache_key(version, kind).encode()).hexdigest()[:32] + '"'
    return etag, int(version.published_at.timestamp())


def embedded_logo(partner_logo) -> str:
    """A logo as a data: address, for the PDF (WeasyPrint fetches nothing); none for a file that is not
    a logo image."""
    kind = logo_content_type(partner_logo)
    if kind is None:
        return ""
    with partner_logo.open("rb") as file:
        data = file.read()
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"
