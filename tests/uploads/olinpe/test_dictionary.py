import copy

import pytest

from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from uploads.olinpe import services
from uploads.olinpe.dictionary import CORE, SHIPPED_VERSION, shipped
from uploads.olinpe.selectors import current_dictionary
from uploads.validation import SchemaError, parse_schema


def test_shipped_dictionary_is_a_table_schema_the_engine_reads():
    dictionary = shipped()
    assert parse_schema(dictionary.descriptor).fields == dictionary.schema.fields
    assert len(dictionary.names) >= 100
    assert set(CORE) <= set(dictionary.names)


def test_every_variable_says_what_the_text_fixes_and_what_was_decided():
    descriptor = shipped().descriptor
    assert "Ce que le texte fixe" in descriptor["description"]
    assert "Ce que cette plateforme a décidé" in descriptor["description"]
    for field in descriptor["fields"]:
        assert set(field["olinpe:origine"]) == {"fixe", "decide"}, field["name"]
        assert field["description"], field["name"]


def test_perimeter_is_under_21_administrative_or_judicial_placement_or_milieu_ouvert():
    dictionary = shipped()
    assert dictionary.descriptor["olinpe:perimetre"]["ageMaximum"] == 21
    assert {kind.authority for kind in dictionary.measures.values()} == {"administrative", "judiciaire"}
    assert {"placement", "milieu_ouvert"} <= {kind.setting for kind in dictionary.measures.values()}


def test_dates_are_months_never_full_dates():
    dictionary = shipped()
    dates = [field for field in dictionary.schema.fields if field.name.startswith("DAT")]
    assert dates and all(field.type == "yearmonth" for field in dates)
    assert dictionary.schema.field("ANAIS").type == "year"
    assert dictionary.schema.field("MNAIS").maximum == 12


@pytest.mark.django_db
def test_without_import_the_shipped_version_applies():
    assert current_dictionary().version == SHIPPED_VERSION


@pytest.mark.django_db
def test_referent_imports_a_newer_dictionary_which_then_applies(referent):
    descriptor = copy.deepcopy(shipped().descriptor)
    descriptor["version"] = "2026.1"
    descriptor["fields"][-1]["description"] = "Libellé revu par le guide de l'ONPE."
    services.import_dictionary(descriptor, actor=Actor(user=referent))
    assert current_dictionary().version == "2026.1"
    event = AuditEvent.objects.get(action="olinpe.dictionary_imported")
    assert event.details["version"] == "2026.1"


@pytest.mark.django_db
def test_importing_the_same_version_twice_is_refused(referent):
    descriptor = copy.deepcopy(shipped().descriptor)
    services.import_dictionary(descriptor, actor=Actor(user=referent))
    with pytest.raises(TransitionError, match="déjà importée"):
        services.import_dictionary(descriptor, actor=Actor(user=referent))


@pytest.mark.django_db
def test_a_dictionary_without_the_variables_the_checks_need_is_refused(referent):
    descriptor = copy.deepcopy(shipped().descriptor)
    descriptor["version"] = "2026.2"
    descriptor["fields"] = [field for field in descriptor["fields"] if field["name"] != "DATDEBMES"]
    with pytest.raises(SchemaError, match="DATDEBMES"):
        services.import_dictionary(descriptor, actor=Actor(user=referent))
    assert current_dictionary().version == SHIPPED_VERSION
