"""The Content-Security-Policy: what it allows, and that every page we serve lives within it."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.conventions.factories import ConventionFactory, PartnerFactory

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_DIRECTIVES = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
# <script> elements browsers do not run: data blocks (allauth's, Django's json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response) -> dict[str, set[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {name: set(values) for name, *values in directives if name}


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' refuses: inline scripts, styles, handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self._in_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def template_files() -> list[Path]:
    """Every template the platform can render: ours, and those of the installed apps."""
    directories = [Path(d) for d in engines["django"].template_dirs]
    return [path for directory in directories for path in directory.rglob("*.html")]


def test_pages_carry_the_policy_with_every_expected_directive(client, db):
    response = client.get(reverse("account_login"))

    directives = policy(response)
    assert {name: directives.get(name) for name in EXPECTED_DIRECTIVES} == EXPECTED_DIRECTIVES
    assert not any("'unsafe-inline'" in values or "'unsafe-eval'" in values for values in directives.values())


def test_error_pages_and_downloads_carry_the_policy_too(admin_client):
    convention = ConventionFactory(signed_document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"))
    download = admin_client.get(reverse("conventions:convention_document", args=[convention.pk]))
    b"".join(download.streaming_content)

    assert "frame-ancestors 'none'" in admin_client.get("/no-such-page/")["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in download["Content-Security-Policy"]


def test_the_inline_code_detector_finds_what_the_policy_refuses():
    html = '<script>run()</script><script type="application/json">{}</script><p style="x" onclick="y()">'

    assert inline_code(html) == ["inline script: run()", "style= on <p>", "onclick= on <p>"]


def test_no_template_runs_an_inline_script():
    offenders = {
        str(path): found
        for path in template_files()
        if (found := [item for item in inline_code(path.read_text()) if item.startswith("inline script")])
    }

    assert len(template_files()) > 100  # ours, the admin's and allauth's
    assert offenders == {}


def test_our_templates_have_no_inline_style_or_event_handler():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "templates").rglob("*.html")
        if (found := inline_code(path.read_text()))
    }

    assert offenders == {}


def test_the_layout_takes_the_observatory_colours_from_a_stylesheet(client, db, settings):
    settings.OBSERVATORY = {**settings.OBSERVATORY, "primary_colour": "#123456", "accent_colour": "#abcdef"}

    page = client.get(reverse("account_login")).content.decode()
    link = reverse("observatory_css")
    response = client.get(link)

    assert f'href="{link}?v=' in page
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "--primary: #123456;" in response.content.decode()
    assert "--accent: #abcdef;" in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_the_stylesheet_version_changes_with_the_colours(client, db, settings):
    before = client.get(reverse("account_login")).content.decode()
    settings.OBSERVATORY = {**settings.OBSERVATORY, "primary_colour": "#000000"}

    after = client.get(reverse("account_login")).content.decode()

    version = before.split(f"{reverse('observatory_css')}?v=")[1][:10]
    assert version not in after


def test_someone_still_enrolling_a_second_factor_gets_the_colours(db):
    client = Client()
    client.force_login(UserFactory(role="admin"))

    assert client.get(reverse("observatory_css")).status_code == 200


def test_the_server_error_page_uses_a_static_stylesheet_not_an_inline_style():
    html = render_to_string("500.html")

    assert inline_code(html) == []
    assert 'href="/static/css/error.css"' in html
    assert (ROOT / "static" / "css" / "error.css").is_file()


@pytest.mark.parametrize(
    "page",
    ["home", "audit_log", "invitation_list", "conventions:convention_list", "conventions:partner_list"],
)
def test_our_pages_render_nothing_the_policy_refuses(admin_client, page):
    response = admin_client.get(reverse(page))

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_the_sign_in_page_renders_nothing_the_policy_refuses(client, db):
    response = client.get(reverse("account_login"))

    assert inline_code(response.content.decode()) == []


def test_the_totp_enrolment_page_shows_its_qr_code_as_an_image_the_policy_allows(db):
    referent = UserFactory(role="referent")
    client = Client()
    client.force_login(referent)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert response.context["totp_svg_data_uri"].startswith("data:image/svg+xml;base64,")
    assert "data:" in policy(response)["img-src"]
    assert inline_code(response.content.decode()) == []


def test_the_recovery_codes_page_uses_script_files_only(admin_client, admin_user):
    admin_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    admin_client.post(reverse("mfa_generate_recovery_codes"))

    response = admin_client.get(reverse("mfa_view_recovery_codes"))

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def admin_pages(objects, user) -> list[str]:
    """Every admin page the admin role may open (allauth's own tables are the technical superuser's)."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        if not user.has_perm("{}.view_{}".format(*info)):
            continue
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model in objects:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[objects[model].pk]))
    return pages


def test_every_admin_list_and_form_renders_nothing_the_policy_refuses(admin_client, admin_user):
    partner = PartnerFactory(with_logo=True)
    convention = ConventionFactory(parties=[partner])
    objects = {type(partner): partner, type(convention): convention, type(admin_user): admin_user}

    offenders = {}
    for page in [*admin_pages(objects, admin_user), reverse("admin:conventions_convention_add")]:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        if found := inline_code(response.content.decode()):
            offenders[page] = found

    assert offenders == {}
