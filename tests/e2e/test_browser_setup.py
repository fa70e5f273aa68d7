"""The harness itself: axe-core really fails a page, and the session survives plain HTTP."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

INACCESSIBLE_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Test</title></head><body><main>
<h1>Page de test</h1>
<img src="/static/missing.png">
<p style="color: #bbbbbb; background: #ffffff">Texte trop pâle</p>
</main></body></html>"""


def test_a_serious_accessibility_violation_fails_the_checkpoint_with_rule_impact_and_target(journey):
    journey.page.set_content(INACCESSIBLE_PAGE)

    with pytest.raises(AssertionError) as error:
        journey.check("inaccessible")

    message = str(error.value)
    assert "image-alt (critical)" in message
    assert "color-contrast (serious)" in message
    assert "\n    img  " in message
    assert "dequeuniversity.com/rules/axe/4.14/image-alt" in message


def test_the_session_cookie_keeps_the_production_flags_and_the_browser_keeps_it_over_http(journey, member):
    journey.sign_in(member)
    journey.visit("/partners/", "partners")

    cookies = {cookie["name"]: cookie for cookie in journey.page.context.cookies()}
    session = cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is settings.SESSION_COOKIE_SECURE
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    expect(journey.page.get_by_text(member.email)).to_be_visible()


def test_tabbing_onto_an_element_whose_focus_is_invisible_fails(journey):
    journey.page.set_content(
        '<main><button style="outline: none">Visible</button><button style="outline: none">Caché</button></main>'
    )

    with pytest.raises(AssertionError, match="no visible focus indicator on 'button Visible'"):
        journey.tab_to(journey.page.get_by_role("button", name="Caché"))
