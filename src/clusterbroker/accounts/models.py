"""A person's account settings: the language and time zone the product speaks to them in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSettings(models.Model):
    """Preferences of one user account; blank means the site's default.

    The values are checked against `settings.LANGUAGES` and the time zones of the system
    when they are saved (see `services.update_preferences`), not by field choices: the list
    of languages grows without a migration.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=16, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self) -> str:
        return str(self.user)
