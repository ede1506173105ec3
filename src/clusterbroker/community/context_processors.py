"""What every page shows of the community: the number of unread search alerts."""

from django.http import HttpRequest

from .models import Alert


def alerts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:  # asked only by a page that shows it
        return Alert.objects.filter(saved_search__user=user, read_at__isnull=True).count()

    return {"unread_alerts": unread}
