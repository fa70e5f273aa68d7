"""Two published years side by side: the indicators both have, and a change only where both values are given."""

from dashboards.comparison import compare


def snapshot(year, figures, sources=({"id": "caf", "name": "CAF de la Loire"},)):
    return {
        "data_year": year,
        "sections": [{"domain": "prevention", "title": "Prévention", "figures": figures}],
        "sources": list(sources),
    }


def figure(code, value, masked=None, sources=("caf",)):
    return {
        "indicator": code,
        "label": code.title(),
        "unit": "count",
        "sources": list(sources),
        "value": {"value": value, "masked": masked},
    }


def test_only_the_indicators_both_years_have_are_compared_with_their_change():
    before = snapshot(2022, [figure("suivis", 200), figure("ancien", 10)])
    after = snapshot(2023, [figure("suivis", 250), figure("nouveau", 30)])

    [section] = compare(before, after)

    assert [row["indicator"] for row in section["rows"]] == ["suivis"]
    assert section["rows"][0]["change"] == 0.25
    assert section["rows"][0]["sources"] == ["CAF de la Loire"]


def test_a_value_masked_in_either_year_gives_no_change():
    before = snapshot(2022, [figure("suivis", None, masked="small_count")])
    after = snapshot(2023, [figure("suivis", 250)])

    [section] = compare(before, after)

    assert section["rows"][0]["change"] is None
    assert section["rows"][0]["before"] == {"value": None, "masked": "small_count"}


def test_the_sources_of_both_years_are_named():
    before = snapshot(2022, [figure("suivis", 200, sources=("chu",))], sources=[{"id": "chu", "name": "CHU"}])
    after = snapshot(2023, [figure("suivis", 250)])

    [section] = compare(before, after)

    assert section["rows"][0]["sources"] == ["CAF de la Loire", "CHU"]
