from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clusterbroker.events"
    verbose_name = _("B2B brokerage events")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
