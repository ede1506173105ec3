"""The bell in the header: how many notices the user has not read yet (one count query on
the index of unread notices)."""

from .service import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
