"""The territories on a map: shapes the admin uploads (checked), projected on the server, a choropleth
with its legend and keyboard access, or a tile map when no shape is given."""

import json
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from dashboards import maps, services
from dashboards.demo import DEMO_SHAPES
from dashboards.models import TerritoryShapes
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, observe
from tests.test_content_security_policy import inline_code
from tests.uploads.factories import IndicatorFactory

SVG = "{http://www.w3.org/2000/svg}"
URL = reverse("dashboards:territory_shapes")


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def square(name, lon=4.0, lat=45.5, size=0.1, geometry_type="Polygon"):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": geometry_type, "coordinates": [ring]},
    }


def areas():
    return [
        maps.Area("Forez", 612, "612"),
        maps.Area("Roannais", None, "", masked=True),
        maps.Area("Saint-Étienne", 1204, "1\u202f204"),
        maps.Area("Gier-Ondaine-Pilat", 830, "830"),
    ]


# Reading and projecting the shapes ---------------------------------------------------------------


def test_the_demo_shapes_of_the_four_loire_territories_are_valid():
    assert sorted(maps.read_shapes(DEMO_SHAPES.read_bytes())) == [
        "Forez",
        "Gier-Ondaine-Pilat",
        "Roannais",
        "Saint-Étienne",
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{not json", "not_json"),
        (json.dumps({"type": "Feature"}).encode(), "not_feature_collection"),
        (geojson(), "no_feature"),
        (geojson({**square("x"), "properties": {}}), "unnamed_feature"),
        (geojson(square("Forez"), square("Forez")), "duplicate_name"),
        (
            geojson({**square("Forez"), "geometry": {"type": "Point", "coordinates": [4, 45]}}),
            "not_a_polygon",
        ),
        (geojson(square("Forez", lon=400)), "bad_coordinates"),
    ],
)
def test_unusable_geojson_is_refused_with_its_reason(data, code):
    with pytest.raises(maps.ShapeError) as refused:
        maps.read_shapes(data)

    assert refused.value.code == code


def test_projection_puts_the_north_up_and_keeps_every_territory_inside_the_box():
    drawing = maps.project(maps.read_shapes(DEMO_SHAPES.read_bytes()), width=400)

    def ys(name):
        return [
            float(pair.split(",")[1])
            for pair in drawing["paths"][name].replace("M", "").replace("L", "").replace("Z", "").split()
        ]

    assert max(ys("Roannais")) < min(ys("Saint-Étienne"))  # the Roannais is north of Saint-Étienne
    assert all(0 <= y <= drawing["height"] for name in drawing["paths"] for y in ys(name))
    x, y = drawing["labels"]["Gier-Ondaine-Pilat"]
    assert maps._inside(
        (x, y),
        [
            tuple(map(float, p.split(",")))
            for p in drawing["paths"]["Gier-Ondaine-Pilat"]
            .replace("M", "")
            .replace("L", "")
            .replace("Z", "")
            .split()
        ],
    )


# Drawing ------------------------------------------------------------------------------------------


def test_each_territory_of_the_choropleth_is_focusable_and_named_with_its_value():
    drawing = maps.project(maps.read_shapes(DEMO_SHAPES.read_bytes()))
    svg = maps.choropleth(
        areas(),
        drawing,
        title="Carte",
        description="d",
        ident="map-x",
        legend_title="Classes",
        masked_text="masqué",
    )
    root = ElementTree.fromstring(svg)

    shapes = {path.get("aria-label"): path for path in root.iter(f"{SVG}path")}
    assert set(shapes) == {
        "Forez\u00a0: 612",
        "Roannais\u00a0: masqué",
        "Saint-Étienne\u00a0: 1\u202f204",
        "Gier-Ondaine-Pilat\u00a0: 830",
    }
    assert all(path.get("tabindex") == "0" and path.get("role") == "img" for path in shapes.values())
    assert shapes["Roannais\u00a0: masqué"].get("fill") == "url(#map-x-masked)"
    assert shapes["Saint-Étienne\u00a0: 1\u202f204"].get("fill") == "url(#map-x-class-3)"  # the highest class
    assert (root.get("aria-labelledby"), root.get("aria-describedby")) == ("map-x-title", "map-x-desc")
    assert inline_code(svg) == []


def test_the_legend_gives_each_class_its_bounds_in_french_and_its_own_pattern():
    drawing = maps.project(maps.read_shapes(DEMO_SHAPES.read_bytes()))
    root = ElementTree.fromstring(
        maps.choropleth(
            areas(), drawing, title="t", description="d", ident="m", legend_title="Classes de valeurs"
        )
    )

    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "612 – 760" in texts and "1\u202f056 – 1\u202f204" in texts and "masqué" in texts
    patterns = root.findall(f".//{SVG}pattern")
    assert (
        len({len(list(pattern)) for pattern in patterns if "class" in pattern.get("id")}) > 1
    )  # not shade alone


def test_territories_that_share_one_value_get_one_class_named_by_that_value():
    shared = [maps.Area("Gier", 121.0, "121", False), maps.Area("Forez", None, "masqué", True)]
    root = ElementTree.fromstring(
        maps.tile_map(
            shared, title="t", description="d", ident="m", legend_title="Classes", masked_text="masqué"
        )
    )

    legend = [text.text for text in root.iter(f"{SVG}text")]
    assert legend[legend.index("Classes") + 1 :] == ["121", "masqué"]


def test_without_shapes_a_tile_map_draws_one_square_per_territory_with_its_value():
    root = ElementTree.fromstring(
        maps.tile_map(
            areas(), title="t", description="d", ident="m", legend_title="Classes", masked_text="masqué"
        )
    )

    tiles = [group for group in root.iter(f"{SVG}g") if group.get("tabindex") == "0"]
    assert [tile.get("aria-label") for tile in tiles][:2] == ["Forez\u00a0: 612", "Roannais\u00a0: masqué"]
    assert "1\u202f204" in [text.text for text in root.iter(f"{SVG}text")]


# The admin's page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_uploads_shapes_and_sees_them(admin_client):
    upload = SimpleUploadedFile(
        "loire.geojson", DEMO_SHAPES.read_bytes(), content_type="application/geo+json"
    )

    response = admin_client.post(URL, {"file": upload})

    assertRedirects(response, URL)
    shapes = TerritoryShapes.objects.get()
    assert sorted(shapes.shapes) == ["Forez", "Gier-Ondaine-Pilat", "Roannais", "Saint-Étienne"]
    assert AuditEvent.objects.filter(action="territory_shapes.uploaded", object_id=str(shapes.pk)).exists()
    page = admin_client.get(URL)
    assertContains(page, "loire.geojson")
    assertContains(page, 'aria-label="Forez\u00a0: —"')


@pytest.mark.django_db
def test_a_file_that_is_not_geojson_is_refused_in_french_and_nothing_is_stored(admin_client):
    upload = SimpleUploadedFile("loire.geojson", geojson({**square("x"), "properties": {}}))

    response = admin_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assertContains(response, "Le territoire n° 1 n’a pas de nom")
    assert not TerritoryShapes.objects.exists()


# In the dashboards --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_generated_dashboard_keeps_its_map_and_the_section_page_shows_it_beside_the_table(
    admin_user, referent, member_client, django_capture_on_commit_callbacks
):
    from dashboards import territories

    territories.record_territory_shapes(
        actor=Actor(user=admin_user),
        shapes=maps.read_shapes(DEMO_SHAPES.read_bytes()),
        file_name="loire.geojson",
    )
    indicator = IndicatorFactory(label="Enfants confiés")
    source = PartnerFactory()
    for territory, value in [
        ("Forez", 612),
        ("Roannais", 2),
        ("Saint-Étienne", 1204),
        ("Gier-Ondaine-Pilat", 830),
    ]:
        observe(indicator, source, 2023, value, territory=territory)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.create_version(data_year=2023, actor=Actor(user=referent))
    draft.refresh_from_db()
    assert set(draft.content["map"]["paths"]) == {"Forez", "Roannais", "Saint-Étienne", "Gier-Ondaine-Pilat"}
    version = DashboardVersionFactory(published=True, content=draft.content, number=2)

    response = member_client.get(
        reverse("dashboards:published_section", args=[version.pk, "children_in_danger"])
    )

    assertContains(response, 'class="figure__map"')
    assertContains(response, 'aria-label="Gier-Ondaine-Pilat\u00a0: 830"')
    assertContains(response, 'aria-label="Roannais\u00a0: masqué"')
    assertContains(response, "chart map map--shapes")


@pytest.mark.django_db
def test_a_dashboard_generated_without_shapes_shows_a_tile_map(
    referent, member_client, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(label="Enfants confiés")
    for territory, value in [("Forez", 612), ("Roannais", 96)]:
        observe(indicator, PartnerFactory(), 2023, value, territory=territory)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.create_version(data_year=2023, actor=Actor(user=referent))
    draft.refresh_from_db()
    version = DashboardVersionFactory(published=True, content=draft.content, number=2)

    response = member_client.get(
        reverse("dashboards:published_section", args=[version.pk, "children_in_danger"])
    )

    assertContains(response, "chart map map--tiles")
    assertContains(response, 'aria-label="Forez\u00a0: 612"')
