"""Coherence checks of a yearly OLINPE base, in the manner of the ONPE's « livrets d'échanges ».

Each check gives a French explanation, a count and up to five example record numbers (never a record's
content): what the Département sends back to its business software's editor. Columnar, with polars, on the
typed frame `uploads.olinpe.reading` gives (months as a month index, year × 12 + month − 1).

A measure is identified by the child's anonymisation number, its nature and its month of start: two
records with the same three are duplicates, and the checks after the duplicates count see each measure once.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from uploads.olinpe.dictionary import MINOR, PLACEMENT, YOUNG_ADULT, Dictionary
from uploads.olinpe.reading import EXAMPLES, RECORD

ADULT, LIMIT = 18 * 12, 21 * 12
KEY = ("NUMANONYM", "NATMES", "DATDEBMES")

# code: (title, explanation, unit)
CHECKS = {
    "duplicates": (
        "Enregistrements en double",
        "Plusieurs enregistrements décrivent la même mesure du même enfant (même numéro d'anonymisation, même "
        "nature, même mois de début). Chaque enregistrement en trop est compté, à partir du deuxième.",
        "enregistrements",
    ),
    "sex_conflicts": (
        "Un numéro d'anonymisation, deux sexes",
        "Les enregistrements d'un même numéro d'anonymisation ne donnent pas le même sexe : le numéro réunit "
        "peut-être deux enfants, ou le sexe a été mal saisi. Les enfants concernés sont comptés.",
        "enfants",
    ),
    "birth_conflicts": (
        "Un numéro d'anonymisation, deux mois de naissance",
        "Les enregistrements d'un même numéro d'anonymisation ne donnent pas le même mois et la même année de "
        "naissance : le numéro réunit peut-être deux enfants. Les enfants concernés sont comptés.",
        "enfants",
    ),
    "end_before_start": (
        "Fin avant le début",
        "La date de fin de la mesure précède sa date de début.",
        "enregistrements",
    ),
    "outside_window": (
        "Dates hors de l'année",
        "Une date de décision, de début ou de fin tombe après la fin de l'année de la base, la mesure a pris "
        "fin avant le début de l'année (elle n'avait pas à figurer dans la base), ou elle commence avant la "
        "naissance de l'enfant.",
        "enregistrements",
    ),
    "minor_measure_after_18": (
        "Mesure réservée aux mineurs commencée après 18 ans",
        "La mesure ne peut concerner qu'un mineur, mais elle commence alors que l'enfant a 18 ans ou plus "
        "d'après son mois et son année de naissance.",
        "enregistrements",
    ),
    "young_adult_measure_before_18": (
        "Mesure jeune majeur commencée avant 18 ans",
        "La mesure est réservée aux jeunes majeurs de 18 à 21 ans, mais elle commence avant les 18 ans de "
        "l'enfant d'après son mois et son année de naissance.",
        "enregistrements",
    ),
    "beyond_21": (
        "Mesure commencée après 21 ans",
        "La mesure commence alors que le jeune a 21 ans ou plus : il sort du périmètre de la protection de l'enfance.",
        "enregistrements",
    ),
    "overlapping_placements": (
        "Placements qui se chevauchent",
        "Un enfant a deux placements en même temps (leurs périodes se recouvrent d'au moins un mois) : un "
        "enfant n'est accueilli qu'au titre d'un placement à la fois. Le mois où l'un prend le relais de "
        "l'autre n'est pas compté. Les enfants concernés sont comptés.",
        "enfants",
    ),
    "unknown_codes": (
        "Codes inconnus",
        "Une variable contient un code qui n'est pas dans la liste du dictionnaire des variables. Les "
        "enregistrements qui ont au moins un code inconnu sont comptés ; le détail par variable suit.",
        "enregistrements",
    ),
    "year_breaks": (
        "Ruptures d'une année sur l'autre",
        "L'enfant avait une mesure en cours au 31 décembre de l'année précédente, mais il est absent de cette "
        "base alors qu'aucune fin n'avait été enregistrée. Les enfants concernés sont comptés ; les exemples "
        "sont des numéros d'enregistrement de la base de l'année précédente.",
        "enfants",
    ),
}


@dataclass(frozen=True)
class Finding:
    code: str
    count: int
    examples: tuple[int, ...]

    @property
    def title(self) -> str:
        return CHECKS[self.code][0]

    @property
    def explanation(self) -> str:
        return CHECKS[self.code][1]

    @property
    def unit(self) -> str:
        return CHECKS[self.code][2]


@dataclass(frozen=True)
class Share:
    """One variable's « ne sait pas » and empty cells, out of the base's records."""

    variable: str
    label: str
    records: int
    dont_know: int | None  # None: the variable has no « ne sait pas » code
    empty: int


@dataclass(frozen=True)
class Coherence:
    year: int
    records: int
    findings: tuple[Finding, ...]
    unknown_by_variable: dict[str, int]
    shares: tuple[Share, ...]

    def count(self, code: str) -> int:
        return next(finding.count for finding in self.findings if finding.code == code)

    def as_dict(self) -> dict:
        """What is kept of the checks (counts and record numbers, never a record's content), as JSON."""
        return {
            "year": self.year,
            "records": self.records,
            "findings": [
                {"code": f.code, "count": f.count, "examples": list(f.examples)} for f in self.findings
            ],
            "unknown_by_variable": self.unknown_by_variable,
            "shares": [
                {"variable": s.variable, "label": s.label, "dont_know": s.dont_know, "empty": s.empty}
                for s in self.shares
            ],
        }


def check_base(frame: pl.DataFrame, year: int, dictionary: Dictionary, previous: pl.DataFrame | None = None):
    first, last = year * 12, year * 12 + 11
    shares = _shares(frame, dictionary)
    unknown = _unknown_codes(frame, dictionary)
    frame = frame.select(
        RECORD, *KEY, "NUMANONYMANT", "SEXE", "DATDECMES", "DATFINMES", _birth().alias("_birth")
    )
    duplicated = ~frame.select(pl.struct(KEY).is_first_distinct()).to_series()
    measures = frame.filter(~duplicated)
    age = pl.col("DATDEBMES") - pl.col("_birth")
    nature = pl.col("NATMES")
    minor_only = nature.is_in(dictionary.measure_codes(ages=MINOR))
    young_adult = nature.is_in(dictionary.measure_codes(ages=YOUNG_ADULT))
    after_year = pl.any_horizontal([pl.col(name) > last for name in ("DATDECMES", "DATDEBMES", "DATFINMES")])
    per_child = frame.group_by("NUMANONYM").agg(
        (pl.col("SEXE").filter(pl.col("SEXE").is_in([1, 2])).n_unique() > 1).alias("_sexes"),
        (pl.col("_birth").drop_nulls().n_unique() > 1).alias("_births"),
        pl.col(RECORD).min(),
    )
    outside = after_year | (pl.col("DATFINMES") < first) | (pl.col("DATDEBMES") < pl.col("_birth"))
    findings = [
        _records("duplicates", frame.filter(duplicated)),
        _children("sex_conflicts", per_child.filter("_sexes")),
        _children("birth_conflicts", per_child.filter("_births")),
        _records("end_before_start", measures.filter(pl.col("DATFINMES") < pl.col("DATDEBMES"))),
        _records("outside_window", measures.filter(outside.fill_null(False))),
        _records("minor_measure_after_18", measures.filter(minor_only & (age >= ADULT) & (age < LIMIT))),
        _records("young_adult_measure_before_18", measures.filter(young_adult & (age < ADULT))),
        _records("beyond_21", measures.filter(age >= LIMIT)),
        _overlapping_placements(measures, last, dictionary),
        _records("unknown_codes", unknown.records),
        _year_breaks(frame, previous),
    ]
    return Coherence(
        year=year,
        records=frame.height,
        findings=tuple(findings),
        unknown_by_variable=unknown.by_variable,
        shares=shares,
    )


def _birth() -> pl.Expr:
    return pl.col("ANAIS") * 12 + pl.col("MNAIS") - 1


def _examples(records: pl.Series) -> tuple[int, ...]:
    return tuple(records.sort().head(EXAMPLES).to_list())


def _records(code: str, rows: pl.DataFrame) -> Finding:
    return Finding(code, rows.height, _examples(rows[RECORD]))


def _children(code: str, children: pl.DataFrame) -> Finding:
    return Finding(code, children.height, _examples(children[RECORD]))


def _overlapping_placements(measures: pl.DataFrame, last: int, dictionary: Dictionary) -> Finding:
    placements = measures.filter(
        pl.col("NATMES").is_in(dictionary.measure_codes(setting=PLACEMENT))
        & pl.col("DATDEBMES").is_not_null()
        & (pl.col("DATFINMES").is_null() | (pl.col("DATFINMES") >= pl.col("DATDEBMES")))
    ).select("NUMANONYM", RECORD, "DATDEBMES", pl.col("DATFINMES").fill_null(last).alias("_end"))
    pairs = placements.join(placements, on="NUMANONYM", suffix="_other").filter(
        (pl.col(RECORD) != pl.col(f"{RECORD}_other"))
        & (pl.col("DATDEBMES_other") < pl.col("_end"))
        & (pl.col("DATDEBMES") < pl.col("_end_other"))
    )
    children = pairs.group_by("NUMANONYM").agg(pl.col(RECORD).min())
    return Finding("overlapping_placements", children.height, _examples(children[RECORD]))


@dataclass(frozen=True)
class _Unknown:
    records: pl.DataFrame  # the records with at least one unknown code
    by_variable: dict[str, int]


def _unknown_codes(frame: pl.DataFrame, dictionary: Dictionary) -> _Unknown:
    outside = {
        field.name: pl.col(field.name).is_not_null() & ~pl.col(field.name).is_in(list(field.enum))
        for field in dictionary.schema.fields
        if field.enum is not None
    }
    flags = frame.select(RECORD, **outside)
    counts = flags.select(pl.col(name).sum() for name in outside).row(0, named=True) if outside else {}
    by_variable = {name: count for name, count in counts.items() if count}
    if not by_variable:
        return _Unknown(flags.select(RECORD).clear(), {})
    return _Unknown(flags.filter(pl.any_horizontal(*by_variable)).select(RECORD), by_variable)


def _year_breaks(frame: pl.DataFrame, previous: pl.DataFrame | None) -> Finding:
    if previous is None:
        return Finding("year_breaks", 0, ())
    present = pl.concat([frame["NUMANONYM"], frame["NUMANONYMANT"].drop_nulls()]).unique().to_frame()
    gone = previous.filter(pl.col("DATFINMES").is_null()).join(present, on="NUMANONYM", how="anti")
    children = gone.group_by("NUMANONYM").agg(pl.col(RECORD).min())
    return Finding("year_breaks", children.height, _examples(children[RECORD]))


def _shares(frame: pl.DataFrame, dictionary: Dictionary) -> tuple[Share, ...]:
    counts = frame.select(
        *(pl.col(name).null_count().alias(f"empty|{name}") for name in dictionary.names),
        *(
            (pl.col(name) == dictionary.dont_know(name)).sum().alias(f"nsp|{name}")
            for name in dictionary.names
            if dictionary.dont_know(name) is not None
        ),
    ).row(0, named=True)
    return tuple(
        Share(
            variable=field.name,
            label=field.label,
            records=frame.height,
            dont_know=counts.get(f"nsp|{field.name}"),
            empty=counts[f"empty|{field.name}"],
        )
        for field in dictionary.schema.fields
    )
