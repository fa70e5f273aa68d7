from django.urls import path

from dashboards.views import consent, workflow

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
    path("consents/", consent.consent_list, name="consent_list"),
    path("consents/<uuid:pk>/", consent.consent_detail, name="consent_detail"),
    path("consents/<uuid:pk>/leave-out/", workflow.consent_leave_out, name="consent_leave_out"),
]
