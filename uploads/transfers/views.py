from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from odpe.accounts.access import PSEUDONYMISERS
from odpe.accounts.roles import role_required
from uploads.transfers.pseudonymisation import KEY_COLUMNS

# What static/js/pseudonymise.js says, in the person's language; the rules are those of
# uploads.transfers.pseudonymisation, whose French sentences these repeat.
BROWSER_MESSAGES = {
    "name": _("The name"),
    "first_name": _("The first name"),
    "not_latin": _(
        "%(what)s “%(value)s” holds a letter outside the Latin alphabet (“%(letter)s”): write it in Latin "
        "letters, as in the civil-status record."
    ),
    "no_letter": _("%(what)s “%(value)s” holds no letter."),
    "date_empty": _("The birth date is empty."),
    "date_impossible": _("The date “%(value)s” does not exist."),
    "date_shape": _("The date “%(value)s” is not written JJ/MM/AAAA, JJ-MM-AAAA, AAAA-MM-JJ or AAAA/JJ/MM."),
    "line": _("Line %(line)s: %(error)s"),
    "line_column": _("Line %(line)s, column “%(column)s”: %(error)s"),
    "reveals": _(
        "Line %(line)s, column “%(column)s”: it repeats the person's name, first name or birth date, which "
        "must not be sent."
    ),
    "shared": _("The column “%(column)s” is used for the keys: it cannot also be kept."),
    "empty_file": _("The file is empty: its first line must name the columns."),
    "unreadable": _("This workbook cannot be read: save it again as .xlsx or .csv."),
    "not_text": _("This file is neither a workbook nor a CSV text file: save it as .xlsx or .csv."),
    "read": _("%(count)s line(s) read, %(columns)s column(s). Nothing has left your computer."),
    "done": _("%(count)s line(s) pseudonymised. Nothing has left your computer."),
}


@role_required(*PSEUDONYMISERS)
def pseudonymise(request):
    """The page works in the browser alone: the nominative file is never sent here."""
    return render(
        request,
        "transfers/pseudonymise.html",
        {"key_columns": KEY_COLUMNS, "browser_messages": BROWSER_MESSAGES},
    )
