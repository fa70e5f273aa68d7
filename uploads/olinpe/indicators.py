"""The observatory's yearly indicators from one OLINPE base, and its paths over several (Django-free).

Every figure is an aggregate (`Figure`): an indicator code, a breakdown (territory, sex, age group; empty
means all) and a value. The catalogue gives each indicator its French label and definition, which the
pages show. What enters the figures: each measure once (duplicates dropped), with a month of start, an end
not before its start, and a start not after the year's end; the child's sex is the first given as 1 or 2,
its birth the earliest month given, its territory the first given.

Durations are counted in whole months between the month of start and the month of end, then given in
days (one month = 30.4 days) because the observations count in days.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from uploads.olinpe.coherence import KEY
from uploads.olinpe.dictionary import (
    ADMINISTRATIVE,
    JUDICIAL,
    MILIEU_OUVERT,
    PLACEMENT,
    YOUNG_ADULT,
    Dictionary,
)

DAYS_PER_MONTH = 30.4375
SEXES = {1: "Garçons", 2: "Filles"}
AGE_GROUPS = (
    ("0-2 ans", 0, 2),
    ("3-5 ans", 3, 5),
    ("6-10 ans", 6, 10),
    ("11-14 ans", 11, 14),
    ("15-17 ans", 15, 17),
    ("18-20 ans", 18, 20),
)
FAR = 10**6  # the end of an open measure, far after any month


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    unit: str  # as uploads.models.Indicator.Unit: count, rate, days
    domain: str  # as uploads.models.Indicator.Domain
    breakdowns: tuple[str, ...] = ()


CATALOGUE = {
    indicator.code: indicator
    for indicator in (
        Indicator(
            "olinpe-enfants-31-decembre",
            "Enfants suivis au 31 décembre (base OLINPE)",
            "Enfants et jeunes majeurs ayant au moins une mesure de placement ou en milieu ouvert, administrative "
            "ou judiciaire, en cours au 31 décembre : le périmètre de l'enquête Aide sociale de la DREES (les "
            "aides financières et les mesures d'investigation seules n'y entrent pas). Chaque enfant compte une fois.",
            "count",
            "administrative_protection",
            ("territory", "sex", "age_group"),
        ),
        Indicator(
            "olinpe-enfants-31-decembre-administratif",
            "Enfants suivis au 31 décembre au titre d'une mesure administrative",
            "Parmi les enfants suivis au 31 décembre, ceux qui ont une prestation d'aide sociale à l'enfance "
            "(accueil provisoire, aide éducative à domicile, accompagnement jeune majeur).",
            "count",
            "administrative_protection",
            ("territory",),
        ),
        Indicator(
            "olinpe-enfants-31-decembre-judiciaire",
            "Enfants suivis au 31 décembre au titre d'une mesure judiciaire",
            "Parmi les enfants suivis au 31 décembre, ceux qui ont une mesure d'assistance éducative décidée par "
            "le juge (placement, AEMO).",
            "count",
            "judicial_protection",
            ("territory",),
        ),
        Indicator(
            "olinpe-enfants-31-decembre-placement",
            "Enfants placés au 31 décembre",
            "Parmi les enfants suivis au 31 décembre, ceux qui sont accueillis hors de leur famille (placement "
            "administratif ou judiciaire).",
            "count",
            "administrative_protection",
            ("territory", "sex", "age_group"),
        ),
        Indicator(
            "olinpe-enfants-31-decembre-milieu-ouvert",
            "Enfants suivis en milieu ouvert au 31 décembre",
            "Parmi les enfants suivis au 31 décembre, ceux qui ont une mesure exercée dans leur famille (AED, "
            "AEMO, intervention à domicile).",
            "count",
            "administrative_protection",
            ("territory", "sex", "age_group"),
        ),
        Indicator(
            "olinpe-mesures-commencees",
            "Mesures commencées dans l'année",
            "Mesures de placement ou en milieu ouvert dont le mois de début tombe dans l'année.",
            "count",
            "administrative_protection",
            ("sex", "age_group"),
        ),
        Indicator(
            "olinpe-mesures-terminees",
            "Mesures terminées dans l'année",
            "Mesures de placement ou en milieu ouvert dont le mois de fin tombe dans l'année.",
            "count",
            "administrative_protection",
            ("sex", "age_group"),
        ),
        Indicator(
            "olinpe-duree-mediane-mesures-terminees",
            "Durée médiane des mesures terminées dans l'année",
            "Médiane, sur les mesures de placement ou en milieu ouvert terminées dans l'année, du nombre de mois "
            "entre le début et la fin, en jours (un mois compte 30,4 jours).",
            "days",
            "administrative_protection",
        ),
        Indicator(
            "olinpe-jeunes-majeurs",
            "Jeunes majeurs accompagnés dans l'année",
            "Jeunes de 18 à 20 ans ayant eu dans l'année un accueil provisoire ou un accompagnement jeune majeur.",
            "count",
            "administrative_protection",
            ("sex",),
        ),
        Indicator(
            "olinpe-parcours-milieu-ouvert-avant-placement",
            "Enfants placés pour la première fois après une mesure en milieu ouvert",
            "Parmi les enfants dont le premier placement connu commence dans l'année, part de ceux qui avaient eu "
            "auparavant une mesure en milieu ouvert, d'après les bases des années précédentes (numéro "
            "d'anonymisation suivi d'une année sur l'autre). Les parcours commencés avant la première base "
            "importée ne sont connus qu'en partie.",
            "rate",
            "administrative_protection",
        ),
        Indicator(
            "olinpe-parcours-retours-12-mois",
            "Retours dans la protection de l'enfance dans les 12 mois",
            "Parmi les enfants sortis de toute mesure l'année précédente (plus aucune mesure en cours ni "
            "commençant le mois suivant), part de ceux qui ont eu une nouvelle mesure dans les 12 mois après leur sortie.",
            "rate",
            "administrative_protection",
        ),
        Indicator(
            "olinpe-parcours-delai-premier-placement",
            "Délai médian entre la première mesure et le premier placement",
            "Parmi les enfants dont le premier placement connu commence dans l'année, médiane du délai entre le "
            "début de leur première mesure connue et ce placement, en jours (un mois compte 30,4 jours ; zéro "
            "quand la première mesure est le placement).",
            "days",
            "administrative_protection",
        ),
    )
}


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: float
    territory: str = ""
    sex: str = ""
    age_group: str = ""
    of: int | None = None  # a share or a median: how many children or measures it is computed from


def disclosed(figures: list[Figure], threshold: int) -> tuple[list[Figure], list[str]]:
    """The figures that may be shown, and the codes of those masked (« secret statistique »).

    A share or a median computed from fewer than `threshold` children or measures tells about those few
    children: it is masked, as a count below the threshold is. Counts are masked where they are shown
    (the dashboards' disclosure control, with its complementary cells), so they all go on.
    """
    shown = [figure for figure in figures if figure.of is None or figure.of >= threshold]
    masked = [figure.indicator for figure in figures if figure.of is not None and figure.of < threshold]
    return shown, masked


def usable_measures(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    """Each measure once, with its dates in order and begun by the year's end."""
    last = year * 12 + 11
    return frame.unique(subset=list(KEY), keep="first", maintain_order=True).filter(
        pl.col("DATDEBMES").is_not_null()
        & (pl.col("DATDEBMES") <= last)
        & (pl.col("DATFINMES").is_null() | (pl.col("DATFINMES") >= pl.col("DATDEBMES")))
    )


def yearly_figures(frame: pl.DataFrame, year: int, dictionary: Dictionary) -> list[Figure]:
    first, last = year * 12, year * 12 + 11
    frame = frame.select(*KEY, "DATFINMES", "SEXE", "ANAIS", "MNAIS", "TERRITOIRE")
    measures = usable_measures(frame.select(*KEY, "DATFINMES"), year).join(
        _children(frame, last), on="NUMANONYM"
    )
    perimeter = measures.filter(
        pl.col("NATMES").is_in(
            dictionary.measure_codes(setting=PLACEMENT) + dictionary.measure_codes(setting=MILIEU_OUVERT)
        )
    )
    current = perimeter.filter(pl.col("DATFINMES").is_null() | (pl.col("DATFINMES") > last))
    figures = _counts("olinpe-enfants-31-decembre", current)
    for suffix, codes in (
        ("administratif", dictionary.measure_codes(authority=ADMINISTRATIVE)),
        ("judiciaire", dictionary.measure_codes(authority=JUDICIAL)),
        ("placement", dictionary.measure_codes(setting=PLACEMENT)),
        ("milieu-ouvert", dictionary.measure_codes(setting=MILIEU_OUVERT)),
    ):
        figures += _counts(
            f"olinpe-enfants-31-decembre-{suffix}", current.filter(pl.col("NATMES").is_in(codes))
        )
    started = perimeter.filter(pl.col("DATDEBMES") >= first)
    ended = perimeter.filter(pl.col("DATFINMES").is_between(first, last))
    figures += _counts("olinpe-mesures-commencees", started, distinct=False)
    figures += _counts("olinpe-mesures-terminees", ended, distinct=False)
    if ended.height:
        months = (ended["DATFINMES"] - ended["DATDEBMES"]).median()
        figures.append(
            Figure(
                "olinpe-duree-mediane-mesures-terminees", round(months * DAYS_PER_MONTH, 1), of=ended.height
            )
        )
    young = measures.filter(pl.col("NATMES").is_in(dictionary.measure_codes(ages=YOUNG_ADULT)))
    figures += _counts("olinpe-jeunes-majeurs", young)
    return figures


def _children(frame: pl.DataFrame, last: int) -> pl.DataFrame:
    """One row per child: sex, age group at the year's end, territory."""
    birth = (pl.col("ANAIS") * 12 + pl.col("MNAIS") - 1).min()
    age = (last - birth) // 12
    group = pl.lit("")
    for label, low, high in reversed(AGE_GROUPS):
        group = pl.when(age.is_between(low, high)).then(pl.lit(label)).otherwise(group)
    return frame.group_by("NUMANONYM").agg(
        pl.col("SEXE")
        .filter(pl.col("SEXE").is_in(list(SEXES)))
        .first()
        .replace_strict(SEXES, default="")
        .fill_null("")
        .alias("_sex"),
        group.alias("_age_group"),
        pl.col("TERRITOIRE").drop_nulls().first().fill_null("").alias("_territory"),
    )


def _counts(code: str, rows: pl.DataFrame, *, distinct: bool = True) -> list[Figure]:
    indicator = CATALOGUE[code]
    count = (pl.col("NUMANONYM").n_unique() if distinct else pl.len()).alias("_count")
    figures = [Figure(code, rows.select(count).item())]
    for dimension, column in (("territory", "_territory"), ("sex", "_sex"), ("age_group", "_age_group")):
        if dimension in indicator.breakdowns:
            parts = rows.group_by(column).agg(count).filter(pl.col(column).fill_null("") != "")
            figures += [Figure(code, n, **{dimension: value}) for value, n in parts.iter_rows()]
    return figures


# Paths over several yearly bases ----------------------------------------------------------------------


def path_figures(history: pl.DataFrame, year: int, dictionary: Dictionary) -> list[Figure]:
    """The paths for `year`, from the measures of its base and the earlier ones (`measure_history`)."""
    return yearly_paths(history, [year], dictionary)[year]


def yearly_paths(history: pl.DataFrame, years, dictionary: Dictionary) -> dict[int, list[Figure]]:
    """The paths for each of `years`, from one pass over the history.

    A year's paths read the measures begun by its end; those begun later change none of them: they come
    after a first placement or a first measure of the year, and start too late to join a stretch of
    protection that ended a year before, or to be a return within 12 months of it. So each child's firsts
    and stretches are worked out once, over the whole history.
    """
    placements = dictionary.measure_codes(setting=PLACEMENT)
    in_family = dictionary.measure_codes(setting=MILIEU_OUVERT)
    per_child = history.group_by("NUMANONYM").agg(
        pl.col("DATDEBMES").filter(pl.col("NATMES").is_in(placements)).min().alias("placed"),
        pl.col("DATDEBMES").min().alias("first_measure"),
        pl.col("DATDEBMES").filter(pl.col("NATMES").is_in(in_family)).min().alias("first_in_family"),
    )
    episodes = _episodes(history)
    return {year: _paths(per_child, episodes, year) for year in years}


def _paths(per_child: pl.DataFrame, episodes: pl.DataFrame, year: int) -> list[Figure]:
    first, last = year * 12, year * 12 + 11
    newly_placed = per_child.filter(pl.col("placed").is_between(first, last))
    figures = []
    if newly_placed.height:
        before = newly_placed.filter(pl.col("first_in_family") < pl.col("placed")).height
        figures.append(
            Figure(
                "olinpe-parcours-milieu-ouvert-avant-placement",
                round(100 * before / newly_placed.height, 1),
                of=newly_placed.height,
            )
        )
        delay = (newly_placed["placed"] - newly_placed["first_measure"]).median()
        figures.append(
            Figure(
                "olinpe-parcours-delai-premier-placement",
                round(delay * DAYS_PER_MONTH, 1),
                of=newly_placed.height,
            )
        )
    exits = episodes.filter(pl.col("end").is_between(first - 12, last - 12))
    if exits.height:
        back = exits.filter(pl.col("next_start") <= pl.col("end") + 12).height
        figures.append(
            Figure("olinpe-parcours-retours-12-mois", round(100 * back / exits.height, 1), of=exits.height)
        )
    return figures


def measure_history(bases: dict[int, pl.DataFrame]) -> pl.DataFrame:
    """Every measure the bases give, once, as the latest base gives it, under the child's latest number."""
    history = pl.concat(
        [
            usable_measures(frame, year)
            .select("NUMANONYM", "NUMANONYMANT", "NATMES", "DATDEBMES", "DATFINMES")
            .with_columns(pl.lit(year).alias("_year"))
            for year, frame in sorted(bases.items())
        ]
    )
    renamed = (
        history.filter(pl.col("NUMANONYMANT").is_not_null())
        .select(pl.col("NUMANONYMANT").alias("NUMANONYM"), pl.col("NUMANONYM").alias("_latest"))
        .unique("NUMANONYM", keep="last", maintain_order=True)
    )
    history = (
        history.join(renamed, on="NUMANONYM", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_latest", "NUMANONYM").alias("NUMANONYM"))
        .drop("_latest")
    )
    return history.sort("_year").unique(subset=list(KEY), keep="last")


def _episodes(measures: pl.DataFrame) -> pl.DataFrame:
    """Each child's stretches of continuous protection (a measure starting by the month another ends joins it).

    Whole-column operations on the measures sorted by child and start: a child's running latest end is the
    running maximum of (child's rank, end), the rank keeping one child's ends above the previous child's.
    """
    # Children in any order, as long as each one's measures follow each other: a number sorts faster
    # than the text of the anonymisation number.
    codes = measures.select(pl.col("NUMANONYM").unique()).with_row_index("_code")
    ordered = measures.select("NUMANONYM", "DATDEBMES", "DATFINMES").join(codes, on="NUMANONYM")
    child = pl.col("_code")
    ordered = ordered.sort("_code", "DATDEBMES").with_columns(
        (child != child.shift(1)).fill_null(True).alias("_first"),
        pl.col("DATFINMES").fill_null(FAR).cast(pl.Int64).alias("_end"),
    )
    ordered = ordered.with_columns(pl.col("_first").cum_sum().cast(pl.Int64).alias("_child"))
    reach = (pl.col("_child") * 2 * FAR + pl.col("_end")).cum_max().shift(1) - pl.col("_child") * 2 * FAR
    ordered = ordered.with_columns(
        (pl.col("_first") | (pl.col("DATDEBMES") > reach)).cum_sum().alias("_episode")
    )
    episodes = (
        ordered.group_by("_episode")
        .agg(
            pl.col("_child").first(),
            pl.col("DATDEBMES").min().alias("start"),
            pl.col("_end").max().alias("end"),
        )
        .sort("_episode")
    )
    same_child = pl.col("_child").shift(-1) == pl.col("_child")
    return episodes.with_columns(pl.when(same_child).then(pl.col("start").shift(-1)).alias("next_start"))
