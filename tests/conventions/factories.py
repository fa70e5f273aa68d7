from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from guardian.shortcuts import get_users_with_perms

from conventions.models import Body, Convention, DataRecipient, Decision, Meeting, Partner, Signatory
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from tests.accounts.factories import UserFactory


class PartnerFactory(DjangoModelFactory):
    """A partner institution. `with_correspondent=True` gives it one correspondent account."""

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    class Params:
        with_logo = factory.Trait(logo=factory.django.ImageField(filename="logo.png", format="PNG"))

    name = factory.Sequence(lambda n: f"Association partenaire n°{n}")
    short_name = factory.Sequence(lambda n: f"Partenaire {n}")
    kind = Partner.Kind.ASSOCIATION

    @factory.post_generation
    def with_correspondent(obj, create, extracted, **kwargs):
        if create and extracted:
            add_correspondent(UserFactory(), obj, actor=Actor.platform())


class ConventionFactory(DjangoModelFactory):
    """A signed convention; `parties=[...]` makes those partners original signatories."""

    class Meta:
        model = Convention
        skip_postgeneration_save = True

    class Params:
        multipartite = factory.Trait(kind=Convention.Kind.MULTIPARTITE, notice_months=3)
        bilateral = factory.Trait(kind=Convention.Kind.BILATERAL, notice_months=3)
        data_transfer = factory.Trait(
            kind=Convention.Kind.DATA_TRANSFER,
            exit_policy=Convention.ExitPolicy.DESTROY,
            notice_months=1,
            ends_on=date(2024, 12, 31),
        )

    reference = factory.Sequence(lambda n: f"CONV-{n:04d}")
    title = factory.Sequence(lambda n: f"Convention de partage de données n°{n}")
    kind = Convention.Kind.MULTIPARTITE
    signed_on = date(2019, 1, 10)
    takes_effect_on = date(2019, 2, 1)
    ends_on = None
    # The admin and the services copy the signed end date when a convention is created.
    current_ends_on = factory.SelfAttribute("ends_on")
    notice_months = 3
    notice_counted_from = Convention.NoticeStart.RECEIVED
    exit_policy = Convention.ExitPolicy.RETAIN

    @factory.post_generation
    def parties(obj, create, extracted, **kwargs):
        if create and extracted:
            for partner in extracted:
                sign(obj, partner)


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = Signatory

    convention = factory.SubFactory(ConventionFactory)
    partner = factory.SubFactory(PartnerFactory)
    joined_on = factory.SelfAttribute("convention.takes_effect_on")


def sign(convention: Convention, partner: Partner, joined_on: date | None = None) -> Signatory:
    return SignatoryFactory(
        convention=convention, partner=partner, joined_on=joined_on or convention.takes_effect_on
    )


def correspondents_of(partner: Partner) -> list:
    return list(
        get_users_with_perms(partner, only_with_perms_in=["view_partner_data"], with_group_users=False)
    )


def data_transfer_with_recipient(recipient: Partner, *senders: Partner, **fields) -> Convention:
    """A data-transfer convention (PIPASE): `recipient` receives the data the `senders` transfer."""
    convention = ConventionFactory(data_transfer=True, parties=[recipient, *senders], **fields)
    DataRecipient.objects.create(convention=convention, partner=recipient)
    return convention


class BodyFactory(DjangoModelFactory):
    """A governance body; `working_group=True` for a named working group."""

    class Meta:
        model = Body
        django_get_or_create = ("kind",)

    class Params:
        working_group = factory.Trait(
            kind=Body.Kind.WORKING_GROUP, name=factory.Sequence(lambda n: f"Groupe de travail n°{n}")
        )
        charter_limit = factory.Trait(representatives_per_partner=2)

    kind = Body.Kind.MONITORING_COMMITTEE


class MeetingFactory(DjangoModelFactory):
    """A meeting in a week; `held=True` for one held a week ago."""

    class Meta:
        model = Meeting

    class Params:
        held = factory.Trait(held_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=7)))

    body = factory.SubFactory(BodyFactory)
    held_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    place = "Hôtel du Département, salle 4"
    agenda = "1. Liste des indicateurs\n2. Questions diverses"


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory, held=True)
    kind = Decision.Kind.INDICATOR_LIST
    text = "Le comité arrête la liste des indicateurs."
