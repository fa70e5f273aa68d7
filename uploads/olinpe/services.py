"""Every write of the OLINPE area: one function per state change, its audit row inside its transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from odpe import audit
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads.olinpe.dictionary import read_dictionary
from uploads.olinpe.models import VariableDictionary


@transaction.atomic(durable=True)
def import_dictionary(descriptor: dict, *, actor: Actor) -> VariableDictionary:
    """A newer variable dictionary becomes the one the next imports are checked against.

    Validates: the descriptor must be a Table Schema that keeps the variables the checks rely on
    (SchemaError, French), and carry a version not imported before (TransitionError).
    """
    dictionary = read_dictionary(descriptor)
    if VariableDictionary.objects.filter(version=dictionary.version).exists():
        raise TransitionError(
            _("The version %(version)s of the variable dictionary is already imported.")
            % {"version": dictionary.version}
        )
    imported = VariableDictionary.objects.create(
        version=dictionary.version, descriptor=descriptor, imported_by=actor.user
    )
    audit.record(
        actor,
        "olinpe.dictionary_imported",
        imported,
        version=dictionary.version,
        variables=len(dictionary.names),
    )
    return imported
