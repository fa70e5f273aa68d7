"""Charts drawn on the server as inline SVG: images named by their values in words, nothing the policy refuses."""

from xml.etree import ElementTree

from dashboards.charts import (
    Point,
    Series,
    bar_chart,
    column_chart,
    french_number,
    grouped_bar_chart,
    line_chart,
    nice_ticks,
    small_multiples,
)
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


# Charts people read: line, grouped bars, small multiples ---------------------------------------------


def described(svg: str):
    """The chart's root, checked to be named by its title and described by its description."""
    root = ElementTree.fromstring(svg)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == desc.get("id")
    assert root.get("width") is None and root.get("viewBox").startswith("0 0 720 ")  # the card's width
    return root


def texts(root) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def test_french_numbers_have_thin_space_thousands_and_a_decimal_comma():
    assert french_number(1234567.5) == "1\u202f234\u202f567,5"
    assert french_number(-1200) == "−1\u202f200"
    assert french_number(4.25, 2) == "4,25"


def test_axis_ticks_are_round_and_cover_every_value():
    assert nice_ticks(0, 90_000) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert nice_ticks(-3, 7)[0] <= -3 and nice_ticks(-3, 7)[-1] >= 7


def test_a_line_chart_has_a_title_a_description_gridlines_and_its_values_written_out():
    root = described(
        line_chart(
            years(1200, 1350, 1500),
            title="Enfants suivis au fil des années",
            description="De 1 200 en 2020 à 1 500 en 2022.",
            ident="chart-suivis-trend",
            colour="#1f4e79",
        )
    )

    assert root.find(f"{SVG}title").text == "Enfants suivis au fil des années"
    assert root.find(f"{SVG}desc").text == "De 1 200 en 2020 à 1 500 en 2022."
    assert len(root.findall(f".//{SVG}polyline")) == 1
    assert len(root.findall(f".//{SVG}circle")) == 3  # a marker per year: not colour alone
    assert {"0", "500", "1\u202f000", "1\u202f500"} <= set(texts(root))  # the value axis, in French
    assert {"1200", "1350", "1500", "2020", "2022"} <= set(texts(root))


def test_a_masked_year_breaks_the_line_and_is_drawn_as_a_hatched_gap_saying_masked():
    root = described(
        line_chart(
            years(120, None, 150, 160),
            title="t",
            description="d",
            ident="chart-x",
            colour="#1f4e79",
            masked_text="masqué",
        )
    )

    [gap] = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart__masked"]
    assert gap.get("fill") == "url(#chart-x-masked)"
    assert "masqué" in texts(root)
    assert len(root.findall(f".//{SVG}polyline")) == 1  # 2022–2023 only: 2020 stands alone
    assert len(root.findall(f".//{SVG}circle")) == 3


def test_grouped_bars_set_the_year_beside_the_previous_one_with_a_key_in_words():
    root = described(
        grouped_bar_chart(
            ["Forez", "Gier"],
            [
                Series("2022", [Point("Forez", 100, "100"), Point("Gier", 80, "80")]),
                Series("2023", [Point("Forez", None, "", True), Point("Gier", 90, "90")]),
            ],
            title="t",
            description="d",
            ident="chart-g",
            colour="#1f4e79",
            masked_text="masqué",
        )
    )

    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("stroke") == "#1f4e79"]
    fills = [bar.get("fill") for bar in bars]
    assert fills.count("url(#chart-g-striped)") == 3  # the key's swatch and 2022's two bars
    assert fills.count("#1f4e79") == 2  # the key's swatch and Gier in 2023; Forez 2023 is masked
    assert {"2022", "2023", "masqué", "100", "80", "90"} <= set(texts(root))
    assert any(rect.get("class") == "chart__masked" for rect in root.iter(f"{SVG}rect"))


def test_small_multiples_draw_one_panel_per_territory_on_one_scale():
    root = described(
        small_multiples(
            [("Forez", years(10, 20, 30)), ("Gier", years(300, None, 320))],
            title="t",
            description="d",
            ident="chart-m",
            colour="#1f4e79",
            masked_text="masqué",
        )
    )

    assert {"Forez", "Gier", "2022\u00a0: 30", "2022\u00a0: 320"} <= set(texts(root))
    assert texts(root).count("400") == 2  # the same top of scale in both panels
    assert any(rect.get("class") == "chart__masked" for rect in root.iter(f"{SVG}rect"))


def test_new_charts_escape_their_text_and_carry_no_inline_style():
    svg = line_chart(
        years(1, 2), title="<script>x</script>", description='"><b>', ident="chart-s", colour="#1f4e79"
    )

    assert "<script>" not in svg and "<b>" not in svg
    assert inline_code(svg) == []
