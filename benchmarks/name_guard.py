"""The personal-data guard's name rules, measured: false positives on the platform's own words, recall on
children's first names, and the cost of the name sets.

    .venv/bin/python benchmarks/name_guard.py

False positives are counted on the demo's indicator labels and definitions, its table headers and
enumerated values, the Loire convention's partner names, words common in statistical tables and the
Loire's 320 communes (`benchmarks/data/loire_communes.txt`). Each corpus is given to the guard three ways:
word by word (how many are, alone, a first name: harmless on their own), as one column of a sheet (must
never be taken for a list of people) and as random columns of 10 communes. Recall is measured on a sample
of first names common among children born in France since 2005, as a column, alone, and as « Prénom NOM ».
"""

import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")

TABLE_WORDS = [
    "Total",
    "Totaux",
    "Sous-total",
    "Ensemble",
    "Garçons",
    "Filles",
    "Hommes",
    "Femmes",
    "Autre",
    "Autres",
    "Non renseigné",
    "Inconnu",
    "Sans objet",
    "Oui",
    "Non",
    "Mineurs",
    "Majeurs",
    "Moins de 3 ans",
    "Département",
    "Loire",
    "France",
    "Territoire",
    "Remarques",
    "Commentaire",
    "Observations",
    "Année",
    "Source",
    "Note",
    "Nombre",
    "Taux",
    "Part",
    "Évolution",
    "Placement",
    "Accueil provisoire",
    "Assistant familial",
    "Famille d'accueil",
    "Lieu de vie",
    "MECS",
    "AEMO",
    "AED",
    "ASE",
    "PMI",
    "CRIP",
    "RAS",
    "Néant",
]
CHILDREN = [
    "Lucas", "Emma", "Léo", "Jade", "Louise", "Gabriel", "Raphaël", "Chloé", "Inès", "Mohamed",
    "Adam", "Nathan", "Manon", "Lina", "Maël", "Enzo", "Kylian", "Noah", "Lyam", "Timéo",
    "Lou", "Mia", "Ambre", "Rose", "Anna", "Alice", "Romane", "Léna", "Zoé", "Camille",
    "Hugo", "Arthur", "Jules", "Louis", "Théo", "Tom", "Sacha", "Ethan", "Mathis", "Nolan",
    "Evan", "Axel", "Yanis", "Rayan", "Maëlys", "Lola", "Juliette", "Sarah", "Clara", "Léa",
    "Inaya", "Aya", "Nour", "Wassim", "Ibrahim", "Aïcha", "Fatoumata", "Sofiane", "Amir", "Ilyes",
    "Kenzo", "Ayden", "Nolhan", "Maxence", "Clément", "Baptiste", "Valentin", "Océane", "Elsa", "Capucine",
    "Margaux", "Agathe", "Mathéo", "Noé", "Loan", "Tiago", "Éléna", "Lenny", "Célia", "Yasmine",
]  # fmt: skip
SURNAMES = [
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "PETIT",
    "DURAND",
    "MOREAU",
    "GARCIA",
    "NGUYEN",
]


def corpora() -> dict[str, list[str]]:
    import django

    django.setup()
    from conventions import demo as conventions_demo
    from uploads import demo

    indicators = [text for _, label, _, _, definition in demo.INDICATORS for text in (label, definition)]
    headers = [
        text
        for _, _, schema, *_ in demo.SPECS
        for item in schema["fields"]
        for text in (item.get("title", item["name"]), *item.get("constraints", {}).get("enum", []))
    ]
    partners = [
        text
        for partner in (conventions_demo.DEPARTMENT, *conventions_demo.LOIRE_PARTNERS)
        for text in partner[:2]
    ]
    communes = [
        line
        for line in (ROOT / "benchmarks" / "data" / "loire_communes.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    ]
    return {
        "indicator labels and definitions": indicators,
        "table headers and enumerations": headers + demo.TERRITORIES + demo.AGE_GROUPS,
        "partner names": partners,
        "table words": TABLE_WORDS,
        "Loire communes": communes,
    }


def main() -> None:
    from uploads.validation import names

    started = time.perf_counter()
    given, family = names.first_names(), names.surnames()
    seconds = time.perf_counter() - started
    names.first_names.cache_clear()
    names.surnames.cache_clear()
    tracemalloc.start()
    names.first_names(), names.surnames()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"name sets: {len(given):,} first names, {len(family):,} surnames, loaded in {seconds:.2f} s, {peak:.0f} MB"
    )

    print("\nFalse positives (corpus: alone a first name / cell naming a person / column taken for people)")
    failures = 0
    for title, texts in corpora().items():
        alone = sorted({text for text in texts if names.is_first_name(text)})
        people = [text for text in texts if names.names_a_person(text)]
        watch = names.NameWatch()
        watch.look(0, set(texts), enumerate(texts))
        column = bool(list(watch.columns_of_names()))
        failures += len(people) + column
        print(
            f"  {title} ({len(texts)}): {len(alone)} alone {alone[:8]}, {len(people)} cells {people[:3]}, "
            f"column {'TAKEN' if column else 'passes'}"
        )
        if title == "Loire communes":
            shuffled = random.Random(42)
            taken = 0
            for _ in range(1_000):
                watch = names.NameWatch()
                sample = shuffled.sample(texts, 10)
                watch.look(0, set(sample), enumerate(sample))
                taken += bool(list(watch.columns_of_names()))
            failures += taken
            print(f"  1,000 random columns of 10 Loire communes: {taken} taken for people")

    print(f"\nRecall on {len(CHILDREN)} children's first names")
    alone = [name for name in CHILDREN if names.is_first_name(name)]
    missed = sorted(set(CHILDREN) - set(alone))
    print(f"  alone: {len(alone)}/{len(CHILDREN)} ({len(alone) / len(CHILDREN):.0%}), missed {missed}")
    shuffled = random.Random(7)
    columns = 0
    for _ in range(1_000):
        watch = names.NameWatch()
        sample = shuffled.sample(CHILDREN, 5)
        column = ["Remarques", *sample]
        watch.look(0, set(column), enumerate(column))
        columns += bool(list(watch.columns_of_names()))
    print(f"  1,000 columns « Remarques » + 5 first names: {columns / 10:.1f} % refused")
    pairs = [f"{name} {surname}" for name, surname in zip(CHILDREN, SURNAMES * 8, strict=True)]
    caught = sum(names.names_a_person(f"Suivi de {pair}.") for pair in pairs)
    print(f"  « Suivi de Prénom NOM. » in a note: {caught}/{len(pairs)} ({caught / len(pairs):.0%})")
    notes = [
        f"Suivi depuis {n} jours par le service de Montbrison, Pierre et Rose informés"
        for n in range(100_000)
    ]
    watch = names.NameWatch()
    started = time.perf_counter()
    for start in range(0, len(notes), 1_000):
        chunk = notes[start : start + 1_000]
        watch.look(0, set(chunk), enumerate(chunk))
    seconds = time.perf_counter() - started
    print(f"\nCost: 100,000 distinct notes in one column read in {seconds:.2f} s")
    print(f"\n{'FAIL' if failures else 'OK'}: {failures} false positives that would refuse a file")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
