"""Charts drawn on the server as inline SVG: images named by their values in words, nothing the policy refuses."""

from xml.etree import ElementTree

from dashboards.charts import Point, bar_chart, column_chart
from tests.test_content_security_policy import inline_code

SVG = "{http://www.w3.org/2000/svg}"


def years(*values):
    return [
        Point(str(2020 + i), value, "" if value is None else str(value), value is None)
        for i, value in enumerate(values)
    ]


def test_a_column_chart_is_an_image_named_by_its_values_in_words():
    svg = column_chart(
        years(120, None, 150),
        title="Enfants suivis",
        label="Enfants suivis : 2020 : 120 ; 2021 : secret",
        colour="#1f4e79",
    )

    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Enfants suivis : 2020 : 120 ; 2021 : secret"
    assert root.find(f"{SVG}title").text == "Enfants suivis"
    assert len(root.findall(f"{SVG}rect")) == 2  # the masked year has no column
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "s" in texts and "120" in texts and "150" in texts


def test_a_taller_value_draws_a_taller_column():
    root = ElementTree.fromstring(column_chart(years(50, 100), title="t", label="l", colour="#000000"))

    low, high = (float(rect.get("height")) for rect in root.iter(f"{SVG}rect"))
    assert high == 2 * low


def test_a_bar_chart_writes_masked_rows_in_words_and_draws_no_bar_for_them():
    points = [Point("Forez", None, "", True), Point("Gier", 121, "121"), Point("Roannais", 96, "96")]

    root = ElementTree.fromstring(
        bar_chart(points, title="t", label="l", colour="#1f4e79", masked_text="secret statistique")
    )

    assert len(root.findall(f"{SVG}rect")) == 2
    assert "secret statistique" in [text.text for text in root.iter(f"{SVG}text")]


def test_the_internal_preview_outlines_a_masked_value_instead_of_filling_it():
    root = ElementTree.fromstring(
        column_chart([Point("2023", 3, "3", True)], title="t", label="l", colour="#1f4e79")
    )

    [rect] = root.iter(f"{SVG}rect")
    assert rect.get("stroke-dasharray") and rect.get("fill") == "#ffffff"


def test_text_is_escaped_and_nothing_is_inline_style_or_script():
    svg = column_chart(years(1, 2), title='<script>alert("x")</script>', label='"><b>', colour="#1f4e79")

    assert "<script>" not in svg and "<b>" not in svg
    assert inline_code(svg) == []
    ElementTree.fromstring(svg)  # still well-formed


def test_negative_values_hang_below_the_axis():
    root = ElementTree.fromstring(column_chart(years(-10, 10), title="t", label="l", colour="#000000"))

    axis = float(root.find(f"{SVG}line").get("y1"))
    below, above = root.iter(f"{SVG}rect")
    assert float(below.get("y")) == axis and float(above.get("y")) + float(above.get("height")) == axis
