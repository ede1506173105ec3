from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterbroker.web"
    verbose_name = "Web"
