"""Loire art. 5: every figure names its sources, and every contributor is credited by name and logo."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from dashboards.snapshot import public_view
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content

pytestmark = pytest.mark.django_db


class Figures(HTMLParser):
    """The "Source :" lines of each figure (article.figure), and the contributors' names and logos."""

    def __init__(self):
        super().__init__()
        self.sources: dict[str, list[str]] = {}
        self.contributors: list[dict] = []
        self._figure = None
        self._heading = self._source = self._name = False
        self._text = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "figure" in classes:
            self._figure = ""
        elif tag in ("h2", "h3") and self._figure == "":
            self._heading, self._text = True, ""
        elif "figure__source" in classes:
            self._source, self._text = True, ""
        elif "contributor" in classes:
            self.contributors.append({"name": "", "logo": None})
        elif "contributor__name" in classes:
            self._name, self._text = True, ""
        elif tag == "img" and self.contributors:
            self.contributors[-1]["logo"] = dict(attrs)["src"]

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        if self._heading and tag in ("h2", "h3"):
            self._figure, self._heading = self._text.strip(), False
            self.sources[self._figure] = []
        elif self._source and tag == "p":
            self.sources[self._figure].append(self._text.strip())
            self._source = False
        elif self._name and tag == "span":
            self.contributors[-1]["name"], self._name = self._text.strip(), False
        elif tag == "article":
            self._figure = None


def parse(response) -> Figures:
    parser = Figures()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def sources():
    return PartnerFactory(with_logo=True, short_name="CAF"), PartnerFactory(short_name="CHU")


@pytest.fixture
def published(sources):
    return DashboardVersionFactory(public=True, content=sample_content(*sources))


def test_every_figure_and_table_names_exactly_its_sources(member_client, published, sources):
    caf, chu = sources

    section = reverse("dashboards:published_section", args=[published.pk, "children_in_danger"])
    figures = parse(member_client.get(section)).sources
    summary = member_client.get(reverse("dashboards:published_version", args=[published.pk])).content.decode()

    assert figures == {
        "Enfants suivis (CAF)": [f"Source : {caf.name}"] * 2,  # under its years, under its territories
        "Enfants suivis (CHU)": [f"Source : {chu.name}"] * 2,
    }
    rows = {
        label: source.strip()
        for label, source in re.findall(
            r'<th scope="row"><a [^>]*>([^<]+)</a></th>.*?<td>([^<]*)</td>\s*</tr>', summary, re.S
        )
    }
    assert rows == {
        "Enfants suivis (CAF)": caf.short_name,
        "Enfants suivis (CHU)": chu.short_name,
    }  # named in full below


def test_every_contributor_appears_with_its_logo_served_to_whoever_reads_the_version(
    client, published, sources
):
    caf, chu = sources

    contributors = parse(
        client.get(reverse("dashboards:published_version", args=[published.pk]))
    ).contributors

    by_name = {contributor["name"]: contributor["logo"] for contributor in contributors}
    assert sorted(by_name) == sorted([caf.name, chu.name])
    logo = by_name[caf.name]
    assert logo == reverse("dashboards:contributor_logo", args=[published.pk, caf.pk])
    assert by_name[chu.name] is None  # no logo on file: the name alone
    response = client.get(logo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    b"".join(response.streaming_content)


def test_a_logo_is_served_only_for_a_contributor_of_a_version_the_reader_may_see(
    client, member_client, sources
):
    caf, _chu = sources
    stranger = PartnerFactory(with_logo=True)
    members_only = DashboardVersionFactory(published=True, content=sample_content(caf))
    public = DashboardVersionFactory(public=True, content=sample_content(caf))

    assert (
        client.get(reverse("dashboards:contributor_logo", args=[members_only.pk, caf.pk])).status_code == 404
    )
    assert (
        client.get(reverse("dashboards:contributor_logo", args=[public.pk, stranger.pk])).status_code == 404
    )
    response = member_client.get(reverse("dashboards:contributor_logo", args=[members_only.pk, caf.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_the_sources_left_out_are_named_on_the_dashboard(member_client, partner, other_partner):
    content = sample_content(partner, other_partner)
    version = DashboardVersionFactory(
        published=True,
        content=content,
        published_content=public_view(content, [str(other_partner.pk)], [other_partner.name]),
    )

    response = member_client.get(reverse("dashboards:published_version", args=[version.pk]))

    assertContains(
        response,
        f"Données retirées de cette version à la demande de la source\u00a0: {escape(other_partner.name)}.",
    )
