"""Yearly indicators and paths, on small bases whose answers are known."""

import polars as pl

from uploads.olinpe.dictionary import shipped
from uploads.olinpe.indicators import (
    CATALOGUE,
    DAYS_PER_MONTH,
    disclosed,
    measure_history,
    path_figures,
    yearly_figures,
    yearly_paths,
)

AEMO, AED, PLACEMENT_ASE, OPP, YOUNG_ADULT_CARE, MJIE = 20, 10, 23, 25, 14, 22


def month(text: str | None) -> int | None:
    return None if text is None else int(text[:4]) * 12 + int(text[5:7]) - 1


def base(*rows, renamed: dict | None = None) -> pl.DataFrame:
    """rows: (child, sex, birth AAAA-MM, nature, start, end, territory)."""
    renamed = renamed or {}
    return pl.DataFrame(
        {
            "_record": list(range(1, len(rows) + 1)),
            "NUMANONYM": [row[0] for row in rows],
            "NUMANONYMANT": [renamed.get(row[0]) for row in rows],
            "SEXE": [row[1] for row in rows],
            "ANAIS": [int(row[2][:4]) for row in rows],
            "MNAIS": [int(row[2][5:]) for row in rows],
            "NATMES": [row[3] for row in rows],
            "DATDEBMES": [month(row[4]) for row in rows],
            "DATFINMES": [month(row[5]) for row in rows],
            "TERRITOIRE": [row[6] for row in rows],
        },
        schema_overrides={
            name: pl.Int32 for name in ("SEXE", "ANAIS", "MNAIS", "NATMES", "DATDEBMES", "DATFINMES")
        }
        | {"NUMANONYMANT": pl.String},
    )


def values(figures, code, **breakdown):
    wanted = {"territory": "", "sex": "", "age_group": ""} | breakdown
    return next(
        f.value
        for f in figures
        if f.indicator == code and (f.territory, f.sex, f.age_group) == tuple(wanted.values())
    )


YEAR_BASE = base(
    ("A", 1, "2010-05", AEMO, "2023-02", None, "FOREZ"),
    ("A", 1, "2010-05", MJIE, "2023-03", None, "FOREZ"),  # investigation: outside the DREES perimeter
    ("B", 2, "2020-01", PLACEMENT_ASE, "2021-06", None, "GIER"),
    ("B", 2, "2020-01", PLACEMENT_ASE, "2021-06", None, "GIER"),  # a duplicate counts once
    ("C", 2, "2007-03", AED, "2022-01", "2023-07", "GIER"),  # ended in the year
    ("D", 1, "2005-01", YOUNG_ADULT_CARE, "2023-01", None, "FOREZ"),
    ("E", 1, "2012-01", AEMO, "2023-05", "2023-02", "FOREZ"),  # end before start: left out
)


def test_children_under_a_measure_on_31_december_count_each_child_once():
    figures = yearly_figures(YEAR_BASE, 2023, shipped())
    assert values(figures, "olinpe-enfants-31-decembre") == 3  # A, B, D
    assert values(figures, "olinpe-enfants-31-decembre", sex="Garçons") == 2
    assert values(figures, "olinpe-enfants-31-decembre", territory="GIER") == 1
    assert values(figures, "olinpe-enfants-31-decembre", age_group="3-5 ans") == 1  # B, born 2020-01
    assert values(figures, "olinpe-enfants-31-decembre", age_group="18-20 ans") == 1  # D
    assert values(figures, "olinpe-enfants-31-decembre-placement") == 2  # B and D's accueil provisoire
    assert values(figures, "olinpe-enfants-31-decembre-judiciaire") == 2  # A's AEMO, B's placement
    assert values(figures, "olinpe-enfants-31-decembre-administratif") == 1


def test_entries_exits_median_duration_and_young_adults():
    figures = yearly_figures(YEAR_BASE, 2023, shipped())
    assert values(figures, "olinpe-mesures-commencees") == 2  # A's AEMO, D's care
    assert values(figures, "olinpe-mesures-terminees") == 1
    assert values(figures, "olinpe-duree-mediane-mesures-terminees") == round(18 * DAYS_PER_MONTH, 1)
    assert values(figures, "olinpe-jeunes-majeurs") == 1


def test_paths_follow_the_anonymisation_number_across_years_and_its_renaming():
    bases = {
        2022: base(
            ("A", 1, "2012-01", AEMO, "2022-01", "2022-09", ""),  # in the family, then placed in 2023
            ("B", 2, "2012-01", AED, "2022-01", "2022-03", ""),  # leaves in March, back in November
            ("C", 2, "2012-01", AED, "2022-01", "2022-02", ""),  # leaves, not back within 12 months
            ("D", 1, "2012-01", AED, "2022-04", "2022-06", ""),  # leaves; renamed D2 when back
        ),
        2023: base(
            ("A", 1, "2012-01", PLACEMENT_ASE, "2023-01", None, ""),
            ("B", 2, "2012-01", AED, "2022-11", None, ""),
            ("E", 1, "2012-01", OPP, "2023-06", None, ""),  # placed at once
            ("D2", 1, "2012-01", AEMO, "2023-03", None, ""),
            renamed={"D2": "D"},
        ),
    }
    figures = path_figures(measure_history(bases), 2023, shipped())
    assert values(figures, "olinpe-parcours-milieu-ouvert-avant-placement") == 50.0  # A yes, E no
    assert values(figures, "olinpe-parcours-delai-premier-placement") == round(
        6 * DAYS_PER_MONTH, 1
    )  # (12 + 0) / 2
    # Left protection in 2022: A (September), B, C, D; back within 12 months: A, B and D (as D2).
    assert values(figures, "olinpe-parcours-retours-12-mois") == 75.0


def test_every_indicator_has_a_french_definition():
    for indicator in CATALOGUE.values():
        assert indicator.label and len(indicator.definition) > 40


def test_shares_and_medians_of_fewer_children_than_the_threshold_are_masked():
    bases = {
        2022: base(("A", 1, "2012-01", AEMO, "2022-01", "2022-09", "")),
        2023: base(
            ("A", 1, "2012-01", PLACEMENT_ASE, "2023-01", "2023-05", ""),
            ("B", 2, "2012-01", OPP, "2023-06", None, ""),
        ),
    }
    figures = yearly_figures(bases[2023], 2023, shipped())
    figures += path_figures(measure_history(bases), 2023, shipped())
    shown, masked = disclosed(figures, threshold=3)
    assert sorted(masked) == [
        "olinpe-duree-mediane-mesures-terminees",  # one measure ended
        "olinpe-parcours-delai-premier-placement",  # two children placed
        "olinpe-parcours-milieu-ouvert-avant-placement",
        "olinpe-parcours-retours-12-mois",  # one exit
    ]
    assert {f.indicator for f in shown} >= {"olinpe-enfants-31-decembre", "olinpe-mesures-commencees"}
    assert not set(masked) & {f.indicator for f in shown}
    assert len(disclosed(figures, threshold=2)[1]) == 2  # the exit and the ended measure: one each


def test_a_years_paths_are_the_same_whatever_later_bases_add():
    bases = {
        2022: base(
            ("A", 1, "2012-01", AEMO, "2022-01", "2022-09", ""),
            ("B", 2, "2012-01", AED, "2022-01", "2022-03", ""),
            ("C", 2, "2012-01", AED, "2022-01", "2022-02", ""),
        ),
        2023: base(
            ("A", 1, "2012-01", PLACEMENT_ASE, "2023-01", None, ""),
            ("B", 2, "2012-01", AED, "2022-11", None, ""),
            ("E", 1, "2012-01", OPP, "2023-06", None, ""),
        ),
        2024: base(
            ("A", 1, "2012-01", PLACEMENT_ASE, "2023-01", None, ""),
            ("B", 2, "2012-01", AED, "2022-11", None, ""),
            ("C", 2, "2012-01", OPP, "2024-01", None, ""),  # placed, back after 23 months
            ("E", 1, "2012-01", OPP, "2023-06", None, ""),
            ("F", 1, "2012-01", AED, "2024-02", None, ""),
        ),
    }
    every_year = yearly_paths(measure_history(bases), [2022, 2023, 2024], shipped())
    for year in (2022, 2023):
        known_then = measure_history({y: frame for y, frame in bases.items() if y <= year})
        assert every_year[year] == path_figures(known_then, year, shipped())
    assert values(every_year[2023], "olinpe-parcours-retours-12-mois") == 66.7  # A and B back, C not
    assert values(every_year[2024], "olinpe-parcours-milieu-ouvert-avant-placement") == 100.0  # C
