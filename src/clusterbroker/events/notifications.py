"""E-mails to participants: their agenda when the organisers announce the schedule."""

from django.core.mail import get_connection, send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from .agenda import agenda
from .models import Event


def notify_schedule(event: Event, agenda_url: str) -> int:
    """Send each registered user their meetings; return how many e-mails were sent."""
    messages = []
    participants = event.participants.select_related("user", "organisation").exclude(
        user__isnull=True
    )
    for participant in participants:
        address = participant.user.email
        if not address:
            continue
        items = agenda(participant)
        lines = [
            _("%(time)s, table %(table)s: %(other)s (%(country)s)")
            % {
                "time": timezone.localtime(item.start).strftime("%a %d %b %H:%M"),
                "table": item.table,
                "other": item.with_organisation,
                "country": item.with_country,
            }
            for item in items
        ]
        body = "\n".join(
            [
                _("The schedule of %(event)s is out. Your meetings for %(organisation)s:")
                % {"event": event.name, "organisation": participant.organisation.name},
                "",
                *(lines or [_("No meeting could be scheduled for you this time.")]),
                "",
                _("Your agenda, printable and as a calendar file: %(url)s") % {"url": agenda_url},
            ]
        )
        subject = _("Your meetings at %(event)s") % {"event": event.name}
        messages.append((subject, body, None, [address]))
    if messages:
        send_mass_mail(messages, fail_silently=False, connection=get_connection())
    return len(messages)
