"""The personal-data guard: the ODPE receives anonymised statistics only (Loire art. 3 and 4, GDPR).

A header that names a person's identity, or a value that is a direct identifier, gets the whole file
refused; the caller then deletes its bytes. Messages never repeat the value found: the report is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from uploads.validation.text import fold

REFUSAL = (
    "La plateforme ne reçoit que des statistiques anonymes : un fichier qui contient des données "
    "personnelles est refusé et n'est pas conservé. Retirez cette information et déposez le fichier à nouveau."
)

# On folded headers (lowercase, no accents, punctuation as spaces).
_NOT_A_PERSON = (
    r"(?: (?:de la|du|de l|des|d|de))? (?:structure|etablissement|service|commune|territoire|organisme|"
    r"partenaire|dispositif|indicateur|canton|departement|quartier|juridiction|tribunal|association|"
    r"fichier|tableau|variable|colonne|mesure)s?\b"
)
HEADER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        (rf"\bnoms?\b(?!{_NOT_A_PERSON})", "un nom"),
        (r"\bprenoms?\b", "un prénom"),
        (r"\bdates? (?:de )?naissances?\b|\bddn\b|\bnee?s? le\b", "une date de naissance"),
        (
            r"\bnir\b|\bsecurite sociale\b|\bnumero (?:de )?ss\b|\bn ss\b|\bnumero insee\b",
            "un numéro de sécurité sociale",
        ),
        (r"\badresses?\b(?! (?:ip|du site|de la structure|de l etablissement)\b)", "une adresse"),
        (r"\btelephones?\b|\btel\b|\bportables?\b|\bfax\b", "un numéro de téléphone"),
        (r"\bcourriels?\b|\be ?mails?\b|\bmel\b", "une adresse électronique"),
    )
)

# On raw text. NIR: sex, year, month (or 20-42, 50-99 for special cases), département (2A/2B for
# Corsica), commune, order, then the optional two-digit key; spaces or dots allowed between the groups.
_NIR = r"\b[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)[ .]?(?:\d{2}|2[abAB])[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{2})?\b"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}"
_PHONE = r"(?:(?<![\d+])0|\+33 ?(?:\(0\))? ?|\b0033 ?)[1-9](?:[ .-]?\d{2}){4}\b"
_DATE = r"\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)\d{2}\b|\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
FULL_DATE = "une date complète (jour, mois et année), qui peut être une date de naissance"
VALUE_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("nir", re.compile(_NIR), "un numéro de sécurité sociale (NIR)"),
    ("email", re.compile(_EMAIL), "une adresse électronique"),
    ("phone", re.compile(_PHONE), "un numéro de téléphone"),
    ("date", re.compile(_DATE), FULL_DATE),
)
# NIR, phone numbers and full dates all hold eight characters or more of digits and separators.
_DIGIT_RUN = re.compile(r"\d[\d ./-]{6,}\d")
_EMAIL_RULE = VALUE_RULES[1][1]
# A NIR typed as a number loses nothing but its spaces: 13 or 15 digits.
NIR_AS_NUMBER = re.compile(r"[12]\d{12}(?:\d{2})?")


def header_identity(header: str) -> str | None:
    """What personal information a column header announces, if any: « un prénom »."""
    folded = fold(header)
    for pattern, label in HEADER_RULES:
        if pattern.search(folded):
            return label
    return None


def may_hold_identifiers(texts: Iterable[str]) -> bool:
    """One cheap pass over a column's distinct texts; the per-cell look follows only when this says yes."""
    text = "\n".join(texts)
    return ("@" in text and _EMAIL_RULE.search(text) is not None) or _DIGIT_RUN.search(text) is not None


def value_identity(text: str, *, dates_allowed: bool) -> str | None:
    for name, pattern, label in VALUE_RULES:
        if name == "date" and dates_allowed:
            continue
        if pattern.search(text):
            return label
    return None


def number_identity(value: float) -> str | None:
    if value >= 1e12 and value.is_integer() and NIR_AS_NUMBER.fullmatch(str(int(value))):
        return "un numéro de sécurité sociale (NIR)"
    return None
