from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "clusterbroker.community"
    label = "community"
    verbose_name = _("Community collections")

    def ready(self) -> None:
        from . import signals  # noqa: F401
