from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.index, name="index"),
    path("name/", views.update_name, name="name"),
    path("preferences/", views.update_preferences, name="preferences"),
    path("data/", views.download_data, name="data"),
    path("delete/", views.delete_account, name="delete"),
]
