from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from conventions.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from dashboards.demo import seed_documents
from uploads.demo import seed_collection
from uploads.olinpe.demo import seed_olinpe


class Command(BaseCommand):
    help = "Load the Loire demo data and one account per role (never in production)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to load demo data with production settings (set DEMO_DATA_ALLOWED=true to override)."
            )
        today = timezone.localdate()
        result = seed_demo(today)
        # The past years' tables and the documents are accepted as they are seeded: nobody needs the e-mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            campaign = seed_collection(today)
            seed_documents(today)
        bases = seed_olinpe(today)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Collection of {campaign.data_year} figures open until {campaign.due_on:%d/%m/%Y}."
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
