"""The site's URLs with and without the published dashboards' page, for the extranet's links to it."""

from django.http import HttpResponse
from django.urls import include, path

from dashboards import urls as dashboards_urls
from odpe import urls as site_urls


def published_page(request, year):
    return HttpResponse(f"Tableau de bord {year}")


def site(dashboards_patterns) -> list:
    others = [
        pattern for pattern in site_urls.urlpatterns if getattr(pattern, "namespace", None) != "dashboards"
    ]
    return [*others, path("", include((dashboards_patterns, "dashboards")))]


ours = [pattern for pattern in dashboards_urls.urlpatterns if pattern.name != "published_detail"]


class WithPublishedPage:
    urlpatterns = site([*ours, path("published/<int:year>/", published_page, name="published_detail")])


class WithoutPublishedPage:
    urlpatterns = site(ours)
