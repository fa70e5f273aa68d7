"""One fixture per role, fully signed in (second factor enrolled where the role needs it)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from dashboards import rendering
from odpe.accounts.groups import set_up_role_groups
from odpe.accounts.roles import Role
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from odpe.celery import app
from tests import processes
from tests.accounts.factories import UserFactory
from tests.celery_worker import celery_worker_process  # noqa: F401 (the real-worker fixture, for every suite)
from tests.conventions.factories import PartnerFactory


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in-process, except in the tests that start a real worker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def no_shared_page_from_another_test():
    """Published pages kept for anonymous visitors live in the process: each test starts without them."""
    rendering._shared_pages.clear()


@pytest.fixture(autouse=True)
def isolated_settings(settings, tmp_path):
    """Uploaded files go to a folder of their own; static files need no collectstatic run."""
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise reads the static files from the app folders instead of STATIC_ROOT.
    settings.WHITENOISE_AUTOREFRESH = True
    # Password hashing is not what these tests are about: keep it fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters start from zero in every test (CI's Redis would keep them across runs).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def observatory_language_after_each_test():
    """A request in another language leaves it active in the thread: the next test starts in French."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.org", role=Role.ADMIN, with_totp=True)


@pytest.fixture
def admin_client(admin_user):
    return signed_in(admin_user)


@pytest.fixture
def referent(db):
    return UserFactory(email="referent@example.org", role=Role.REFERENT, with_totp=True)


@pytest.fixture
def referent_client(referent):
    return signed_in(referent)


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Caisse d'Allocations Familiales de la Loire", short_name="CAF")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="Maison Départementale des Personnes Handicapées", short_name="MDPH")


@pytest.fixture
def correspondent(partner):
    user = UserFactory(email="correspondant@example.org")
    add_correspondent(user, partner, actor=Actor.platform())
    return user


@pytest.fixture
def correspondent_client(correspondent):
    return signed_in(correspondent)


@pytest.fixture
def other_partner_correspondent(other_partner):
    user = UserFactory(email="correspondant.autre@example.org")
    add_correspondent(user, other_partner, actor=Actor.platform())
    return user


@pytest.fixture
def other_partner_correspondent_client(other_partner_correspondent):
    return signed_in(other_partner_correspondent)


@pytest.fixture
def member(db):
    return UserFactory(email="membre@example.org", role=Role.MEMBER)


@pytest.fixture
def member_client(member):
    return signed_in(member)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The role groups and the admin group's rights are set up after each migrate and flush; a reused
    database last flushed without that (a transactional test) gets them back here."""
    with django_db_blocker.unblock():
        for app_config in apps.get_app_configs():
            set_up_role_groups(app_config)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """Every fixture is torn down by now: a process a test started and is still alive fails the run
    (and is killed, so that it does not outlive the run)."""
    left = processes.left_behind()
    if not left:
        return
    processes.kill_everything_left()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "Processes started by the tests were still alive at the end of the session (now killed):"
    if reporter is None:
        print("\n".join([message, *left]))
    else:
        reporter.write("\n")
        reporter.write_sep("=", "processes left behind", red=True)
        for line in [message, *left]:
            reporter.write_line(line, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
