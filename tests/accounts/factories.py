import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from odpe.accounts.models import User
from odpe.accounts.services import grant_role
from odpe.audit import Actor

PASSWORD = "Un-mot-de-passe-assez-long-42"


class UserFactory(DjangoModelFactory):
    """A person. `role=` grants a global role; `with_totp=True` enrols a TOTP authenticator."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            grant_role(obj, extracted, actor=Actor.platform())

    @factory.post_generation
    def with_totp(obj, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(obj, generate_totp_secret())
