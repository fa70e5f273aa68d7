from django.urls import path

from dashboards.views import consent, published, workflow

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", workflow.version_list, name="version_list"),
    path("dashboards/<uuid:pk>/", workflow.version_detail, name="version_detail"),
    path("dashboards/<uuid:pk>/regenerate/", workflow.version_regenerate, name="version_regenerate"),
    path("dashboards/<uuid:pk>/review/", workflow.version_submit, name="version_submit"),
    path("dashboards/<uuid:pk>/consent/", workflow.version_request_consent, name="version_request_consent"),
    path("dashboards/<uuid:pk>/return/", workflow.version_return, name="version_return"),
    path("dashboards/<uuid:pk>/publish/", workflow.version_publish, name="version_publish"),
    path("dashboards/<uuid:pk>/withdraw/", workflow.version_withdraw, name="version_withdraw"),
    path("dashboards/<uuid:pk>/preview/", published.version_preview, name="version_preview"),
    path("published/", published.published_list, name="published_list"),
    path("published/compare/", published.compare, name="compare"),
    path("published/<int:year>/", published.published_detail, name="published_detail"),
    path("published/versions/<uuid:pk>/", published.published_version, name="published_version"),
    path("published/versions/<uuid:pk>/export/<slug:kind>/", published.export, name="export"),
    path(
        "published/versions/<uuid:pk>/logos/<uuid:partner_pk>/",
        published.contributor_logo,
        name="contributor_logo",
    ),
    path("consents/", consent.consent_list, name="consent_list"),
    path("consents/<uuid:pk>/", consent.consent_detail, name="consent_detail"),
    path("consents/<uuid:pk>/leave-out/", workflow.consent_leave_out, name="consent_leave_out"),
]
