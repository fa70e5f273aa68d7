"""File names chosen by the people who upload: shown on pages and in downloads' Content-Disposition,
never used to store a file (stored names are random: odpe.files.PrivateUploadTo)."""

import unicodedata

from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

MAX_LENGTH = 120


def display_name(name: str, default: str = "fichier") -> str:
    """The last segment of a POSIX or Windows path, without control or invisible characters (NUL, new
    lines, bidirectional overrides), spaces collapsed, at most MAX_LENGTH characters with the extension
    kept: « ../../etc/passwd.xlsx » is « passwd.xlsx », « C:\\x\\y.xlsx » is « y.xlsx »."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in name)
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_LENGTH - len(extension) - 1].rstrip('. ')}.{extension}"
        else:
            name = name[:MAX_LENGTH].rstrip(". ")
    return name or default


def attach(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark a response as a download named `filename`, quoted or encoded as RFC 6266 asks."""
    response["Content-Disposition"] = content_disposition_header(True, display_name(filename))
    return response
