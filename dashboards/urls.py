from django.urls import path

from dashboards.views import consent, documents, extranet, published, workflow

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
    path(
        "published/versions/<uuid:pk>/<slug:domain>/", published.published_section, name="published_section"
    ),
    path("published/versions/<uuid:pk>/export/<slug:kind>/", published.export, name="export"),
    path(
        "published/versions/<uuid:pk>/logos/<uuid:partner_pk>/",
        published.contributor_logo,
        name="contributor_logo",
    ),
    path("consents/", consent.consent_list, name="consent_list"),
    path("consents/<uuid:pk>/", consent.consent_detail, name="consent_detail"),
    path("consents/<uuid:pk>/leave-out/", workflow.consent_leave_out, name="consent_leave_out"),
    path("extranet/", extranet.extranet, name="extranet"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/share/", documents.document_share, name="document_share"),
    path("documents/to-validate/", documents.document_queue, name="document_queue"),
    path("documents/<uuid:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<uuid:pk>/file/", documents.document_file, name="document_file"),
    path("documents/<uuid:pk>/validate/", documents.document_validate, name="document_validate"),
    path("documents/<uuid:pk>/reject/", documents.document_reject, name="document_reject"),
    path("documents/<uuid:pk>/withdraw/", documents.document_withdraw, name="document_withdraw"),
]
