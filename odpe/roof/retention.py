"""The retention of data, composed above the floors it touches: each app purges its own category, the
roof runs them in turn and records what went.

The durations are `settings.RETENTION` (days per category, from the environment; the privacy page lists
them). Each category is purged in its own transaction, so that one failing leaves the others done; a
second run the same day finds nothing more to purge. One audit row, `retention.purged`, gives the count
of each category when anything went.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from odpe import audit
from odpe.accounts import services as account_services
from odpe.audit import Actor
from uploads import services as upload_services
from uploads.olinpe import services as olinpe_services
from uploads.transfers import services as transfer_services

logger = logging.getLogger(__name__)

PURGES = {
    "uploaded_files": upload_services.delete_old_files,
    "refused_file_metadata": upload_services.forget_refused_file_metadata,
    "audit_ip_addresses": audit.forget_ip_addresses,
    "inactive_accounts": account_services.anonymise_inactive_accounts,
    "invitations": account_services.delete_old_invitations,
    "transfer_datasets": transfer_services.delete_datasets_of_closed_conventions,
    "olinpe_bases": olinpe_services.purge_old_bases,
}


def purge_expired_data(now: datetime) -> dict[str, int]:
    """Purge every category of what is older than its duration; return the count purged per category."""
    purged = {}
    for category, purge in PURGES.items():
        before = now - timedelta(days=settings.RETENTION[category])
        try:
            with transaction.atomic():
                purged[category] = purge(before)
        except Exception:
            # One category failing must not keep the others; it is tried again at the next run.
            logger.exception("Could not purge %s", category)
    if any(purged.values()):
        with transaction.atomic():
            audit.record(Actor.platform(), "retention.purged", **purged)
    return purged
