import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from conventions.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from dashboards.demo import seed_documents, seed_territory_shapes
from dashboards.demo_publications import seed_publications
from uploads.demo import seed_collection, seed_collection_half_way, seed_data_request
from uploads.olinpe.demo import seed_olinpe


@contextmanager
def quiet_seeding():
    """`make demo` prints its own lines only: no e-mail sent while seeding (the console backend would print
    each), no info lines of the in-process tasks or of WeasyPrint and fontTools making the demo PDFs, and
    no broker warning (the embedded demo has no broker, by design). Warnings of our own still show."""
    broker = logging.getLogger("kombu.connection")
    level = broker.level
    logging.disable(logging.INFO)
    broker.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        broker.setLevel(level)
        logging.disable(logging.NOTSET)


class Command(BaseCommand):
    help = "Load the Loire demo data and one account per role (never in production)."

    def execute(self, *args, **options):
        with quiet_seeding():
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to load demo data with production settings (set DEMO_DATA_ALLOWED=true to override)."
            )
        today = timezone.localdate()
        result = seed_demo(today)
        campaign = seed_collection(today)
        seed_documents(today)
        seed_territory_shapes()
        seed_collection_half_way(campaign, today)
        seed_data_request(today)
        seed_publications(today)
        bases = seed_olinpe(today)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Collection of {campaign.data_year} figures due on {campaign.due_on:%d/%m/%Y}, half-way."
        )
        self.stdout.write(
            f"OLINPE bases imported and checked: {', '.join(str(base.year) for base in bases)}."
        )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in result["accounts"]:
            partner = f" — {account.partner}" if account.partner else ""
            self.stdout.write(f"  {account.role:<14} {account.email}{partner}")
        self.stdout.write(
            f"Admin and referent sign in with a second factor: add the TOTP secret {DEMO_TOTP_SECRET} "
            "to an authenticator app, or run: python manage.py demo_totp_code"
        )
