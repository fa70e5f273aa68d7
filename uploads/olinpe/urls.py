from django.urls import path

from uploads.olinpe import views

app_name = "olinpe"
urlpatterns = [
    path("olinpe/", views.index, name="index"),
    path("olinpe/import/", views.base_import, name="base_import"),
    path("olinpe/dictionary/", views.dictionary_import, name="dictionary_import"),
    path("olinpe/<int:year>/", views.year, name="year"),
    path("olinpe/<int:year>/report.xlsx", views.report_download, name="report_download"),
]
