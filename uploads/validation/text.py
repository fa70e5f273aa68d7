"""Small text helpers: folding for comparisons, cell addresses, and French display of values."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lowercase, no accents, punctuation as single spaces: « Tranche d'âge » and tranche_age compare equal."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", bare).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def cell_address(column: int, row: int) -> str:
    """Zero-based column, one-based row, as Excel shows them: C12."""
    return f"{column_letter(column)}{row}"


def french_number(value: float | int) -> str:
    """1234567.5 → « 1 234 567,5 » with non-breaking spaces."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", NBSP)
    whole, _, decimals = f"{value:,.6f}".rstrip("0").partition(".")
    whole = whole.replace(",", NBSP)
    return f"{whole},{decimals}" if decimals else whole


def plain(value: Any, limit: int = 40) -> str:
    """A cell's value in French format, cut short."""
    if isinstance(value, bool):
        text = "VRAI" if value else "FAUX"
    elif isinstance(value, int | float):
        text = french_number(value)
    elif isinstance(value, datetime):
        text = (
            value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.min.time() else f"{value:%d/%m/%Y}"
        )
    elif isinstance(value, date):
        text = f"{value:%d/%m/%Y}"
    else:
        text = " ".join(str(value).split())
    return text[: limit - 1] + "…" if len(text) > limit else text


def shown(value: Any) -> str:
    """A cell's value quoted for a message: « 1 234 »."""
    return quoted(plain(value))


def quoted(text: str) -> str:
    return f"«{NBSP}{text}{NBSP}»"


def joined(parts: list[str], conjunction: str = "et") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


def typography(text: str) -> str:
    """French spacing: a non-breaking space before : ; ? ! and inside « »."""
    text = re.sub(r"[ \u00a0\u202f]+([:;?!])", NBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    return re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)
