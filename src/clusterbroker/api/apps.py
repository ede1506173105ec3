from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clusterbroker.api"
    verbose_name = "API"
