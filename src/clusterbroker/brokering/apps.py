from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokeringConfig(AppConfig):
    name = "clusterbroker.brokering"
    verbose_name = _("Brokering")

    def ready(self) -> None:
        from clusterbroker.registry import page_cache

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .models import CordisProject

        # The organisation pages keep their "worked with" list rendered (programme parts).
        page_cache.watch(CordisProject)
