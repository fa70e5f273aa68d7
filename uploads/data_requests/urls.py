from django.urls import path

from uploads.data_requests import views

app_name = "data_requests"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<uuid:pk>/", views.request_detail, name="request_detail"),
    path("asked/<uuid:pk>/", views.addressee_detail, name="addressee_detail"),
    path("asked/<uuid:pk>/answer/", views.addressee_answer, name="addressee_answer"),
    path("asked/<uuid:pk>/accept/", views.addressee_accept, name="addressee_accept"),
    path("asked/<uuid:pk>/return/", views.addressee_return, name="addressee_return"),
    path("asked/<uuid:pk>/template.xlsx", views.template_download, name="template_download"),
    path("answers/<uuid:pk>/file/", views.answer_file, name="answer_file"),
]
