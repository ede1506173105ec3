from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import delivery
from .models import EmailSuppression, Notification, NotificationPreference, OutgoingEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "digest_pending"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "digest_pending"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "digest_email"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["address"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "to_address",
        "subject",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject", "last_error"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = ["sent_at", "created_at", "attempts", "last_error"]
    actions = ["retry_sending"]

    @admin.action(description=_("Send again (failed or waiting e-mails)"))
    def retry_sending(self, request, queryset):
        count = delivery.retry(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail put back in the queue.",
                "%(count)d e-mails put back in the queue.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
