"""Saved searches and their alerts: a new published item that matches raises an alert."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.notifications import conf, kinds
from clusterbroker.notifications.service import notify

from .models import Alert, SavedSearch, SearchDocument
from .search import SearchError, SearchRequest, search
from .search.contract import CONTROL_CHARACTERS

MAX_NAME = SavedSearch._meta.get_field("name").max_length


def save_search(
    user, name: str, text: str, filters: dict[str, list[str]], email: bool = True
) -> SavedSearch:
    """Keep a search under a name; raises SearchError for a bad search, ValidationError
    (on `name`) for a name that is too long or holds control characters."""
    SearchRequest(text=text, filters=filters)  # validates the words and the filters
    name = name.strip()
    if len(name) > MAX_NAME:
        raise ValidationError(
            {
                "name": _("The name has %(length)s characters; at most %(limit)s are kept.")
                % {"length": f"{len(name):,}", "limit": MAX_NAME}
            }
        )
    if CONTROL_CHARACTERS.search(name):
        raise ValidationError({"name": _("The name contains a control character.")})
    return SavedSearch.objects.create(
        user=user,
        name=name or (text.strip() or _("My search"))[:MAX_NAME],
        text=text,
        filters=filters,
        email=email,
    )


def _request(saved: SavedSearch, since) -> SearchRequest | None:
    """The search a saved search runs; None when it is not valid any more (a search saved
    before a filter rule changed is skipped rather than stopping every other alert)."""
    try:
        return SearchRequest(
            text=saved.text,
            filters=saved.filters,
            page_size=100,
            facets=False,
            prefix=True,  # as the search page that saved it
            since=since,
        )
    except SearchError:
        return None


def _matches(saved: SavedSearch, document: SearchDocument) -> bool:
    request = _request(saved, document.indexed_at - timezone.timedelta(microseconds=1))
    if request is None:
        return False
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
            notify_matches(saved, [document])
    return alerts


MAX_LISTED = 10


def notify_matches(saved: SavedSearch, documents: list[SearchDocument]) -> int:
    """Tell the owner of a saved search about its new matches (`saved_search_match`), when
    they asked for alerts by e-mail on that search; otherwise the alerts wait on the alerts
    page. The documents were found by the search run as that user: they may see them."""
    if not documents or not saved.email:
        return 0
    single = len(documents) == 1

    def compose() -> tuple[str, str]:
        names = {"name": saved.name, "n": len(documents)}
        lines = [
            _("New items match your saved search “%(name)s”:") % names
            if len(documents) > 1
            else _("A new item matches your saved search “%(name)s”:") % names,
            "",
        ]
        for document in documents[:MAX_LISTED]:
            lines += [document.title, conf.absolute(document.url), ""]
        if len(documents) > MAX_LISTED:
            lines.append(
                _("… and %(more)s more on your alerts page.")
                % {"more": len(documents) - MAX_LISTED}
            )
        title = (
            _("New match for your search “%(name)s”: %(title)s")
            % {**names, "title": documents[0].title}
            if single
            else _("%(n)s new matches for your search “%(name)s”") % names
        )
        return title, "\n".join(lines).strip()

    return notify(
        [saved.user],
        kinds.SAVED_SEARCH_MATCH,
        compose=compose,
        url=documents[0].url if single else reverse("community:alerts"),
    )


def check_saved_search(saved: SavedSearch) -> list[Alert]:
    """Alerts for the documents indexed since the search was last checked (batch run)."""
    request = _request(saved, saved.checked_at)
    if request is None:
        return []
    result = search(request, saved.user)
    alerts, new = [], []
    for hit in result.hits:
        if not hit.published:
            continue
        alert, created = Alert.objects.get_or_create(saved_search=saved, document_id=hit.id)
        alerts.append(alert)
        if created:
            new.append(alert.document)
    saved.checked_at = timezone.now()
    saved.save(update_fields=["checked_at"])
    notify_matches(saved, new)
    return alerts


def unread_alerts(user):
    return Alert.objects.filter(saved_search__user=user, read_at__isnull=True).select_related(
        "document", "saved_search"
    )
