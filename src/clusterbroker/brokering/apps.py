from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokeringConfig(AppConfig):
    name = "clusterbroker.brokering"
    verbose_name = _("Brokering")
