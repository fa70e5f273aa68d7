import datetime

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_first_of_the_month_reads_premier_in_french():
    with translation.override("fr"):
        assert render("{{ d|day }}", d=datetime.date(2026, 7, 1)) == "1er juillet 2026"


def test_other_days_read_as_plain_numbers():
    with translation.override("fr"):
        assert render("{{ d|day }}", d=datetime.date(2026, 7, 21)) == "21 juillet 2026"


def test_day_with_time_shows_hour_and_minute():
    moment = datetime.datetime(2026, 7, 1, 14, 5, tzinfo=datetime.UTC)
    with translation.override("fr"):
        text = render('{{ d|day:"time" }}', d=moment)
    assert text.startswith("1er juillet 2026, ")
    assert text.endswith(":05")


def test_english_keeps_its_own_ordinals_out():
    with translation.override("en"):
        assert render("{{ d|day }}", d=datetime.date(2026, 7, 1)) == "1 July 2026"


def test_missing_date_renders_nothing():
    assert render("{{ d|day }}", d=None) == ""
