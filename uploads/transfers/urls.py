from django.urls import path

from uploads.transfers import views

app_name = "transfers"
urlpatterns = [
    path("pseudonymise/", views.pseudonymise, name="pseudonymise"),
    path("", views.transfer_list, name="transfer_list"),
    path("<uuid:pk>/", views.transfer_detail, name="transfer_detail"),
    path("<uuid:pk>/datasets/new/", views.dataset_upload, name="dataset_upload"),
    path("<uuid:pk>/linkage/new/", views.linkage_create, name="linkage_create"),
    path("<uuid:pk>/designations/", views.designation_list, name="designation_list"),
    path("datasets/<uuid:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<uuid:pk>/file/", views.dataset_file, name="dataset_file"),
    path("linkage/<uuid:pk>/", views.linkage_detail, name="linkage_detail"),
    path("designations/<uuid:pk>/end/", views.designation_end, name="designation_end"),
]
