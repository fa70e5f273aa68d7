"""A generated nominative extract, the same for the Python tests and the browser's: names with accents,
hyphens, apostrophes, particles and ligatures, birth dates in every accepted shape."""

import csv
import io
import random
from datetime import date, timedelta

from openpyxl import Workbook

HEADER = [
    "Nom de naissance",
    "Prénom",
    "Date de naissance",
    "Commune",
    "Date début mesure",
    "Genre",
    "Nom d'usage",  # mostly the birth name: never to be sent
]
NAMES = [
    "Dupont",
    "de La Fontaine",
    "Le Goff",
    "D'Artagnan",
    "N’Diaye",
    "Lefèvre-Pontalis",
    "Œuvrard",
    "Cœur-de-Lion",
    "Bæk",
    "Müller",
    "Çelik",
    "Núñez y Peña",
    "Straße",
    "van der Berg",
    "O'Connor",
    "Saint-Exupéry",
    "Ørsted",
    "Łaski",
    "Đorđević",
]
FIRST_NAMES = [
    "Marie",
    "Jean-Baptiste",
    "Anne-Sophie",
    "Hélène",
    "Zoé",
    "Noël",
    "Maëlys",
    "Lætitia",
    "Chloé",
    "François",
    "Ænéas",
    "Jérôme",
]
COMMUNES = ["Roanne", "Saint-Étienne", "Montbrison", "Firminy; centre"]


def birth_date_cell(born: date, shape: int) -> object:
    """A date cell, or a text in one of the accepted formats."""
    return [
        born,
        born.strftime("%d/%m/%Y"),
        born.strftime("%d-%m-%Y"),
        born.isoformat(),
        f"{born.year}/{born.day:02d}/{born.month:02d}",
    ][shape % 5]


def nominative_rows(count: int = 40, *, seed: int = 19, text_dates: bool = False) -> list[list[object]]:
    """The header then `count` people; with `text_dates`, no date cells (a CSV holds only text)."""
    chance = random.Random(seed)
    rows: list[list[object]] = [HEADER]
    for index in range(count):
        born = date(1995, 1, 1) + timedelta(days=chance.randrange(0, 365 * 12))
        measure = date(2015, 1, 1) + timedelta(days=chance.randrange(0, 365 * 8))
        shape = index if not text_dates else 1 + index % 4
        rows.append(
            [
                NAMES[index % len(NAMES)],
                chance.choice(FIRST_NAMES),
                birth_date_cell(born, shape),
                chance.choice(COMMUNES),
                measure if not text_dates else measure.strftime("%d/%m/%Y"),
                chance.choice(["F", "M"]),
                "Martin" if index % 3 == 0 else NAMES[index % len(NAMES)],
            ]
        )
    return rows


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Extraction"
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def writable_in(encoding: str, rows: list[list[object]]) -> list[list[object]]:
    """The rows an encoding can hold (Latin-1 has no « Œ », neither it nor Windows-1252 a « Ł »)."""

    def fits(row):
        try:
            ";".join(map(str, row)).encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    return [row for row in rows if fits(row)]


def csv_bytes(rows: list[list[object]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)
