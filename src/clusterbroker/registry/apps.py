from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "clusterbroker.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .ordering import register_sqlite_function
        from .page_cache import connect_receivers

        connection_created.connect(register_sqlite_function)
        connect_receivers()
