"""Everyone told of a change to a convention or a partner gets a link they can open: the referents the
convention's or partner's page, the partner's correspondents (who cannot read those pages) their home, or
their certificate."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from odpe.accounts.models import User
from odpe.roof import tasks
from tests.conftest import signed_in
from tests.conventions.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def status_of_each_link(mailoutbox) -> dict[str, int]:
    """For each recipient, the status of the page their e-mail's link opens, signed in as them."""
    statuses = {}
    for message in mailoutbox:
        (link,) = re.findall(re.escape(settings.SITE_URL) + r"(/\S*)", message.body)
        for address in message.to:
            statuses[address] = signed_in(User.objects.get(email=address)).get(link).status_code
    return statuses


def test_a_new_signatory_s_correspondents_and_the_referents_can_open_their_links(
    admin_client, partner, correspondent, referent, mailoutbox, django_capture_on_commit_callbacks
):
    convention = ConventionFactory(multipartite=True, parties=[])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("conventions:signatory_add", args=[convention.pk]), {"partner": partner.pk})

    assert status_of_each_link(mailoutbox) == {correspondent.email: 200, referent.email: 200}


def test_a_partner_s_correspondents_and_the_referents_can_open_the_link_telling_of_its_update(
    admin_client, partner, correspondent, referent, mailoutbox, django_capture_on_commit_callbacks
):
    data = {"name": "Tribunal judiciaire", "kind": partner.kind, "representative_title": "", "address": ""}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("conventions:partner_edit", args=[partner.pk]), data)

    assert status_of_each_link(mailoutbox) == {correspondent.email: 200, referent.email: 200}


def test_the_destruction_certificate_s_link_opens_for_the_correspondents_and_the_referents(
    partner, correspondent, referent, mailoutbox, django_capture_on_commit_callbacks
):
    ConventionFactory(data_transfer=True, parties=[partner])  # ends on 31/12/2024, destroy policy
    with (
        time_machine.travel(datetime(2025, 1, 1, 6, tzinfo=ZoneInfo("Europe/Paris"))),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.apply_due_withdrawals()

    assert status_of_each_link(mailoutbox) == {correspondent.email: 200, referent.email: 200}
    assert f"Les données reçues de {partner.name} au titre" in mailoutbox[0].body
