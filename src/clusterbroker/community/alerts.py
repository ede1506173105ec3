"""Saved searches and their alerts: a new published item that matches raises an alert."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Alert, SavedSearch, SearchDocument
from .search import SearchRequest, search


def save_search(
    user, name: str, text: str, filters: dict[str, list[str]], email: bool = True
) -> SavedSearch:
    SearchRequest(text=text, filters=filters)  # validates the filters
    return SavedSearch.objects.create(
        user=user,
        name=name.strip() or text or _("My search"),
        text=text,
        filters=filters,
        email=email,
    )


def _matches(saved: SavedSearch, document: SearchDocument) -> bool:
    request = SearchRequest(
        text=saved.text,
        filters=saved.filters,
        page_size=100,
        facets=False,
        prefix=True,  # as the search page that saved it
        since=document.indexed_at - timezone.timedelta(microseconds=1),
    )
    result = search(request, saved.user)
    return any(hit.id == document.pk for hit in result.hits)


@transaction.atomic
def alert_for_document(document: SearchDocument) -> list[Alert]:
    """Alerts for every saved search (of others) that the newly published document matches."""
    if not document.published:
        return []
    alerts = []
    for saved in SavedSearch.objects.select_related("user").exclude(user_id=document.author_id):
        if Alert.objects.filter(saved_search=saved, document=document).exists():
            continue
        if _matches(saved, document):
            alert = Alert.objects.create(saved_search=saved, document=document)
            alerts.append(alert)
            if saved.email and saved.user.email:
                send_mail(
                    _("New match for your search “%(name)s”") % {"name": saved.name},
                    _("A new item matches your saved search “%(name)s”:\n\n%(title)s\n%(url)s")
                    % {"name": saved.name, "title": document.title, "url": document.url},
                    getattr(settings, "DEFAULT_FROM_EMAIL", None),
                    [saved.user.email],
                    fail_silently=True,
                )
    return alerts


def check_saved_search(saved: SavedSearch) -> list[Alert]:
    """Alerts for the documents indexed since the search was last checked (batch run)."""
    request = SearchRequest(
        text=saved.text,
        filters=saved.filters,
        page_size=100,
        facets=False,
        prefix=True,  # as the search page that saved it
        since=saved.checked_at,
    )
    result = search(request, saved.user)
    alerts = [
        Alert.objects.get_or_create(saved_search=saved, document_id=hit.id)[0]
        for hit in result.hits
        if hit.published
    ]
    saved.checked_at = timezone.now()
    saved.save(update_fields=["checked_at"])
    return alerts


def unread_alerts(user):
    return Alert.objects.filter(saved_search__user=user, read_at__isnull=True).select_related(
        "document", "saved_search"
    )
