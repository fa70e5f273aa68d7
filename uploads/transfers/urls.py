from django.urls import path

from uploads.transfers import views

app_name = "transfers"
urlpatterns = [
    path("pseudonymise/", views.pseudonymise, name="pseudonymise"),
]
