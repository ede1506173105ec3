"""What every page shows of the registry: the number of relation requests awaiting an answer."""

from django.http import HttpRequest

from . import relations


def relation_requests(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def awaiting() -> int:  # asked only by a page that shows it
        return relations.awaiting_user(user).count()

    def reviews_duplicates() -> bool:  # asked only by a page that shows it
        from .dedup.permissions import can_review_duplicates

        return can_review_duplicates(user)

    return {"awaiting_relation_requests": awaiting, "reviews_duplicates": reviews_duplicates}
