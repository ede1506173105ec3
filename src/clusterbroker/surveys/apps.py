from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "clusterbroker.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from .notices import register_kinds

        register_kinds()
