from django.urls import path

from conventions import views

app_name = "conventions"
urlpatterns = [
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/<uuid:pk>/", views.convention_detail, name="convention_detail"),
    path("conventions/<uuid:pk>/document/", views.convention_document, name="convention_document"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/<uuid:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<uuid:pk>/logo/", views.partner_logo, name="partner_logo"),
    path("certificates/<uuid:pk>/", views.certificate_download, name="certificate_download"),
]
