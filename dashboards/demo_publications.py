"""Demo publications, through the real path: the dashboard of the year before last generated, reviewed,
consented to by each source's demo correspondent and published for the public; last year's waiting for
the CAF's consent. The documents shared over the past weeks are dated so."""

from datetime import date, timedelta

from conventions.demo import partner_named
from dashboards import services
from dashboards.models import ConsentRequest, DashboardVersion, Document
from odpe.accounts import access
from odpe.accounts.models import User
from odpe.audit import Actor
from uploads.demo import REVIEWER, days_ago

WAITING_SOURCE = "La Caisse d'Allocations Familiales de la Loire"


def seed_publications(today: date) -> None:
    """Safe to run again: a year that already has a dashboard is left as it is."""
    referent = Actor(user=User.objects.get(email=REVIEWER))
    published_year, waiting_year = today.year - 3, today.year - 2
    if not DashboardVersion.objects.filter(data_year=published_year).exists():
        version = consented_version(published_year, referent)
        if version.status == DashboardVersion.Status.APPROVED:
            services.publish(version, actor=referent, is_public=True)
    if not DashboardVersion.objects.filter(data_year=waiting_year).exists():
        version = consented_version(waiting_year, referent, waiting_for=partner_named(WAITING_SOURCE))
        requests = ConsentRequest.objects.filter(version=version)
        requests.update(requested_at=days_ago(today, 10))
        requests.exclude(answered_at=None).update(answered_at=days_ago(today, 6, hour=16))
    date_documents(today)


def consented_version(data_year: int, referent: Actor, waiting_for=None) -> DashboardVersion:
    """A year's dashboard generated (in-process: the demo needs no worker), reviewed and sent for consent,
    which every source but `waiting_for` gives through its demo correspondent. A source without one keeps
    the version waiting, as it would in use."""
    version = services.generate_version(services.create_version(data_year=data_year, actor=referent))
    services.submit_for_review(version, actor=referent)
    services.request_consents(version, actor=referent)
    pending = ConsentRequest.objects.filter(version=version, status=ConsentRequest.Status.PENDING)
    for request in pending.exclude(partner=waiting_for).select_related("partner"):
        correspondent = access.correspondents_acting_for(request.partner).first()
        if correspondent is not None:
            services.record_consent(request, actor=Actor(user=correspondent), consent=True)
    version.refresh_from_db()
    return version


def date_documents(today: date) -> None:
    """Documents shared over the past weeks, the oldest first; those online were validated the next day."""
    shared = Document.objects.filter(uploaded_at__date=today).order_by("uploaded_at")
    for weeks, document in zip((5, 3, 1), shared, strict=False):
        shared_at = days_ago(today, 7 * weeks)
        Document.objects.filter(pk=document.pk).update(uploaded_at=shared_at)
        if document.reviewed_at:
            Document.objects.filter(pk=document.pk).update(reviewed_at=shared_at + timedelta(days=1))
