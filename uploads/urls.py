from django.urls import path

from uploads import views

app_name = "uploads"
urlpatterns = [
    path("collection/", views.collection, name="collection"),
    path(
        "collection/<uuid:campaign_pk>/template/<uuid:partner_pk>/",
        views.template_download,
        name="template_download",
    ),
    path("submissions/<uuid:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<uuid:pk>/upload/", views.submission_upload, name="submission_upload"),
    path("versions/<uuid:pk>/", views.version_detail, name="version_detail"),
    path("versions/<uuid:pk>/file/", views.version_file, name="version_file"),
    path("versions/<uuid:pk>/report/", views.version_annotated, name="version_annotated"),
    path("versions/<uuid:pk>/accept/", views.version_accept, name="version_accept"),
    path("versions/<uuid:pk>/return/", views.version_return, name="version_return"),
    path("review/", views.review_queue, name="review_queue"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<uuid:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<uuid:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("campaigns/<uuid:pk>/completeness.csv", views.campaign_matrix_csv, name="campaign_matrix_csv"),
    path("collection/conventions/<uuid:pk>/tables/", views.expected_tables_list, name="expected_tables"),
    path("collection/conventions/<uuid:pk>/tables/new/", views.expected_table_add, name="expected_table_add"),
    path(
        "collection/tables/<uuid:pk>/calendar/", views.expected_table_calendar, name="expected_table_calendar"
    ),
    path("collection/tables/<uuid:pk>/stop/", views.expected_table_stop, name="expected_table_stop"),
    path("collection/tables/<uuid:pk>/resume/", views.expected_table_resume, name="expected_table_resume"),
    path("catalogue/", views.catalogue_detail, name="catalogue"),
    path("catalogue/adopt/", views.catalogue_adopt, name="catalogue_adopt"),
    path("catalogue/indicators/new/", views.indicator_create, name="indicator_create"),
    path("catalogue/rates/new/", views.rate_create, name="rate_create"),
    path("catalogue/indicators/<uuid:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("specs/", views.spec_list, name="spec_list"),
    path("specs/new/", views.spec_create, name="spec_create"),
    path("specs/import/", views.spec_import_new, name="spec_import_new"),
    path("specs/<uuid:pk>/", views.spec_detail, name="spec_detail"),
    path("specs/<uuid:pk>/edit/", views.spec_edit, name="spec_edit"),
    path("specs/<uuid:pk>/schema.json", views.spec_schema, name="spec_schema"),
    path("specs/<uuid:pk>/import/", views.spec_import, name="spec_import"),
]
