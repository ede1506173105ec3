from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("organisations/", views.import_organisations_page, name="organisations"),
]
