"""Browser journeys: Playwright drives the system Chromium against pytest-django's live server.

A journey is one test function that uses the `journey` fixture:

    def test_member_browses_the_conventions(journey, member):
        journey.sign_in(member)                                  # the sign-in form (and TOTP if needed)
        journey.visit("/conventions/", "conventions")            # open, screenshot, axe-core check
        journey.page.get_by_role("link", name="CONV-0001").click()
        journey.check("convention", heading="Convention de…")    # the same on the page reached

Every checked page must have no `serious` or `critical` axe-core violation; its screenshot goes to
test-artifacts/e2e/<journey>/<nn>-<step>.png and the violations of lesser impact, if any, to
<nn>-<step>.axe.json next to it (git-ignored). `make e2e` runs the journeys alone; pytest-playwright's
options apply (`--headed`, `--slowmo 500`, `--tracing retain-on-failure`).
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.test import override_settings
from django.utils import translation
from django.utils.dateformat import format as format_date
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.accounts.factories import PASSWORD

# Playwright's sync API keeps an asyncio event loop running in the test thread from the first journey
# to the end of the session (tests of other folders run after it), and Django refuses database access
# from a thread with a running loop. Nothing here is asynchronous: the test thread builds data with
# factories and reads it back, the live server answers the browser in threads of its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE_CORE = HERE / "vendor" / "axe-core-4.14.1.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = ("serious", "critical")
# Actions wait this long (ms) for an element: the server is local, a longer wait hides a real problem.
ACTION_TIMEOUT = 10_000


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------- browser and server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium (Playwright's own browser download is not used)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {message}.")
        pytest.skip(f"browser tests skipped, {message}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, built while WhiteNoise reads the static files from the app
    folders: its middleware reads that setting once, when the server starts (no collectstatic)."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        server = request.getfixturevalue("live_server")
    return server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def live_server_settings(settings, live_server):
    """Links in e-mails point to the live server. Rate limits and used TOTP codes are counted in a
    cache of the test's own, so that neither earlier tests nor other runs sharing a Redis server
    count against this one. Cookies keep the production shape (`Secure` when DATABASE_URL is set):
    Chromium treats http://localhost as a secure context and keeps them."""
    settings.SITE_URL = live_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"e2e-{time.monotonic_ns()}",
        }
    }


# ---------------------------------------------------------------- accessibility and screenshots


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (vendored, never from a CDN) on the current page: its violations, every impact."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern (a <script> tag would be refused, as it should be).
        page.evaluate(AXE_CORE.read_text(encoding="utf-8"))
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}  {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
        lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str = "", report: Path | None = None) -> None:
    """Fail on any serious or critical axe-core violation. The minor and moderate ones are written,
    with the others, to `report` (a JSON file) when given, for a person to review."""
    violations = axe_violations(page)
    if report is not None:
        report.unlink(missing_ok=True)
        if violations:
            report.write_text(json.dumps(violations, indent=2, ensure_ascii=False))
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(
            f"axe-core found {len(blocking)} serious or critical accessibility violation(s) on "
            f"{where or page.url}:\n{describe_violations(blocking)}"
        )


def checkpoint(page: Page, journey: str, step: str, heading: str = "") -> None:
    """Wait for the page's first heading (when given, so that a page reached by a click is the new
    one), screenshot it, then fail on any serious or critical axe-core violation."""
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.wait_for_load_state("load")
    folder = ARTIFACTS / journey
    folder.mkdir(parents=True, exist_ok=True)
    # caret="initial": Playwright would otherwise write style attributes into the page's fields, which
    # htmx then copies when it swaps them, and the Content-Security-Policy rightly refuses.
    page.screenshot(path=folder / f"{step}.png", full_page=True, caret="initial")
    assert_accessible(page, f"{page.url} ({journey}/{step})", report=folder / f"{step}.axe.json")


def visit(page: Page, url: str, journey: str, step: str, status: int = 200, heading: str = ""):
    """Open a URL, check its status (after redirects), then `checkpoint` it."""
    response = page.goto(url)
    assert response is not None and response.status == status, (
        f"{url} answered {response and response.status}, expected {status}"
    )
    checkpoint(page, journey, step, heading)
    return response


# ---------------------------------------------------------------- dates


def french_date(day) -> str:
    """A date as the pages write it in running text: « 4 janvier 2027 »."""
    with translation.override("fr"):
        return format_date(day, "j F Y")


# ---------------------------------------------------------------- second factor


def totp_code(user) -> str:
    """The code an authenticator app would show now, from the account's TOTP secret.

    allauth refuses a code that was already used, and one from a 30-second window that closed
    before the form was sent: near the end of a window, wait for the next one."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return code_for_secret(decrypt(authenticator.data["secret"]))


def code_for_secret(secret: str) -> str:
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# ---------------------------------------------------------------- keyboard

# The focused element, named as a person would see it, and whether its focus is visible: an outline
# or a box shadow drawn around it, inside the viewport.
DESCRIBE_FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
  const name = (element.getAttribute("aria-label") || label || element.innerText || element.value || "")
    .trim().replace(/\\s+/g, " ");
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  return {name: `${element.tagName.toLowerCase()} ${name}`.trim(), indicator: (outline || shadow) && onScreen};
}"""


# ---------------------------------------------------------------- journeys


class Journey:
    """One person's way through the site in one browser tab, with numbered checkpoints."""

    def __init__(self, page: Page, name: str):
        self.page = page
        self.name = name
        self.steps = 0

    def _step(self, step: str) -> str:
        self.steps += 1
        return f"{self.steps:02d}-{step}"

    def visit(self, url: str, step: str, *, status: int = 200, heading: str = ""):
        """Open a URL and check the page: status (after redirects), first heading, screenshot, axe-core."""
        return visit(self.page, url, self.name, self._step(step), status=status, heading=heading)

    def check(self, step: str, *, heading: str = "") -> None:
        """Check the page reached by a click or a form: first heading, screenshot, axe-core."""
        checkpoint(self.page, self.name, self._step(step), heading=heading)

    def menu(self, name: str) -> Locator:
        """A link of the site's main menu, its group opened when it sits in one."""
        menu = self.page.get_by_role("navigation", name="Menu principal")
        link = menu.get_by_role("link", name=name, exact=True, include_hidden=True)
        if not link.is_visible():
            # `has` takes a locator relative to each group, not one rooted at the menu.
            inside = self.page.get_by_role("link", name=name, exact=True, include_hidden=True)
            menu.locator("details", has=inside).locator("summary").click()
        return link

    def sign_out(self) -> None:
        """Through the account menu of the header."""
        self.page.locator(".account-menu > summary").click()
        self.page.get_by_role("button", name="Se déconnecter").click()

    @staticmethod
    def authenticator_code(user_or_secret) -> str:
        """What the person's authenticator app shows now: for an account, or for a TOTP secret."""
        if isinstance(user_or_secret, str):
            return code_for_secret(user_or_secret)
        return totp_code(user_or_secret)

    def tab_to(self, target: Locator, max_presses: int = 40) -> list[str]:
        """Press Tab until `target` has the focus; every element focused on the way must show a
        visible focus indicator. Returns the elements focused, in order, to check the focus order."""
        stops = []
        for _ in range(max_presses):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(DESCRIBE_FOCUS)
            assert focused["indicator"], f"no visible focus indicator on {focused['name']!r}"
            stops.append(focused["name"])
            if target.evaluate("element => element === document.activeElement"):
                return stops
        raise AssertionError(f"{target} not reached in {max_presses} Tab presses; focus went to {stops}")

    def choose_file_with_the_keyboard(self, path: Path, presses: int = 3) -> None:
        """Space on the focused file field opens the chooser, where `path` is chosen. On a loaded
        machine Chromium has been seen to let a key press go by without a chooser (CI, once): the press
        is repeated, which cannot open two, since the first chooser would have been caught."""
        for press in range(1, presses + 1):
            try:
                with self.page.expect_file_chooser(timeout=15_000) as chooser:
                    self.page.keyboard.press("Space")
            except PlaywrightTimeoutError:
                if press == presses:
                    raise
            else:
                chooser.value.set_files(path)
                return

    def expect_heading(self, text: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(text)

    def sign_in(self, user, password: str = PASSWORD) -> None:
        """Sign in through the form; admins and referents then give their TOTP code."""
        page = self.page
        # Read before the browser acts: with SQLite in memory, the live server shares this thread's
        # database connection, so the test thread must not query while a page is being served.
        asks_for_code = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        self.visit("/accounts/login/", "sign-in", heading="Se connecter")
        page.get_by_label("Courriel").fill(user.email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        if asks_for_code:
            expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
            self.check("second-factor", heading="Authentification à deux facteurs")
            page.get_by_label("Code").fill(totp_code(user))
            page.get_by_role("button", name="Connexion").click()
        expect(page).to_have_url(re.compile(r"/$"))
        self.expect_heading("Bonjour")


@pytest.fixture
def journey(page: Page, request) -> Journey:
    """The journey takes its name from the test; its screenshots from the previous run are removed."""
    name = request.node.originalname.removeprefix("test_")
    shutil.rmtree(ARTIFACTS / name, ignore_errors=True)
    page.set_default_timeout(ACTION_TIMEOUT)
    return Journey(page, name)


def watch_content_security_policy(page: Page, refused: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


@pytest.fixture(autouse=True)
def no_content_security_policy_violation(page: Page):
    """Whatever a journey does, the browser never has to refuse a script or style of ours."""
    refused: list[str] = []
    watch_content_security_policy(page, refused)
    yield
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def second_page(browser, browser_context_args):
    """Another person's browser (its own cookies), watched like the first and closed with the test:
    a page left open would go on talking to the live server while the next test runs."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    refused: list[str] = []
    watch_content_security_policy(page, refused)
    yield page
    context.close()
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)
