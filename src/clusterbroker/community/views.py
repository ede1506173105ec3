from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbroker.events.models import Event
from clusterbroker.registry.models import Organisation

from . import alerts as alert_service
from . import permissions, services
from .forms import OfferForm, OpenCallForm, SavedSearchForm, StoryForm
from .models import Offer, OpenCall, SavedSearch, Status, Story
from .search import FACETS, SearchError, SearchRequest, search

COLLECTIONS = {
    "calls": (OpenCall, OpenCallForm, _("Open calls")),
    "offers": (Offer, OfferForm, _("Marketplace")),
    "stories": (Story, StoryForm, _("Best practices and success stories")),
}
PAGE_SIZE = 20
M2M = {"calls": ["topics"], "offers": ["terms", "sectors"], "stories": ["organisations", "terms"]}


def _collection(name: str):
    if name not in COLLECTIONS:
        raise Http404
    return COLLECTIONS[name]


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "community/home.html",
        {
            "closing_soon": services.closing_soon(user),
            "counts": {
                name: services.visible(model, user).count()
                for name, (model, _form, _title) in COLLECTIONS.items()
            },
            "events": Event.objects.filter(end_date__gte=timezone.localdate()).order_by(
                "start_date"
            )[:5],
            "is_manager": permissions.is_community_manager(user),
        },
    )


def _search_request(params) -> SearchRequest:
    filters = {facet: params.getlist(facet) for facet in FACETS if params.getlist(facet)}
    try:
        page = int(params.get("page") or 1)
    except ValueError:
        page = 1
    # Raises SearchError for a filter value the search does not know (`?term=²`).
    return SearchRequest(
        text=params.get("q", "")[:300],
        filters=filters,
        page=max(page, 1),
        language=translation.get_language() or "",
    )


def _facet_links(base: dict[str, list[str]], result) -> None:
    """Each facet value's link: a value not chosen is added to the filters, a chosen one
    removed (so values are switched on and off one at a time)."""
    for name, values in result.facets.items():
        for value in values:
            chosen = base.get(name, [])
            switched = (
                [v for v in chosen if v != value.value]
                if value.value in chosen
                else [*chosen, value.value]
            )
            value.href = "?" + urlencode({**base, name: switched}, doseq=True)


def search_page(request: HttpRequest) -> HttpResponse:
    return _search_response(request, request.GET)


def _search_response(
    request: HttpRequest, params, save_form: SavedSearchForm | None = None, problem: str = ""
) -> HttpResponse:
    """The search page for `params`; 400 with the reason when the search (or saving it)
    cannot be done."""
    try:
        search_request = _search_request(params)
        result = search(search_request, request.user)
        error = ""
    except SearchError as exc:
        result, error = None, str(exc)
    error = problem or error
    # Only the search itself goes into the links (not the page, nor the saving form's fields).
    skip = {"page"} if save_form is None else {"page", "csrfmiddlewaretoken", "name", "email"}
    base = {k: v for k, v in params.lists() if k not in skip}
    if result is not None:
        _facet_links(base, result)
    context = {
        "result": result,
        "error": error,
        "text": params.get("q", ""),
        "query_string": urlencode(base, doseq=True),
        "facet_names": FACETS,
        "save_form": save_form or SavedSearchForm(initial={"name": params.get("q", "")[:120]}),
    }
    template = (
        "community/_search_results.html"
        if request.headers.get("HX-Request")
        else "community/search.html"
    )
    return render(request, template, context, status=400 if error else 200)


def _form_errors(form: SavedSearchForm) -> str:
    return " ".join(
        _("%(field)s: %(errors)s") % {"field": form.fields[name].label, "errors": " ".join(errors)}
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def save_search_view(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    try:
        search_request = _search_request(request.POST)
    except SearchError:
        return _search_response(request, request.POST, form)  # shows why
    if not form.is_valid():
        return _search_response(request, request.POST, form, _form_errors(form))
    try:
        alert_service.save_search(
            request.user,
            form.cleaned_data["name"],
            search_request.text,
            search_request.filters,
            form.cleaned_data["email"],
        )
    except (SearchError, ValidationError) as error:
        if isinstance(error, ValidationError):
            form.add_error("name", error.message_dict.get("name", error.messages))
        problem = _form_errors(form) if form.errors else str(error)
        return _search_response(request, request.POST, form, problem)
    messages.success(request, _("Search saved: you will be alerted of new matches."))
    return redirect("community:saved-searches")


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    mine = SavedSearch.objects.filter(user=request.user)
    rows = []
    for saved in mine:
        query = urlencode({"q": saved.text, **saved.filters}, doseq=True)
        rows.append((saved, query, saved.alerts.filter(read_at__isnull=True).count()))
    return render(request, "community/saved_searches.html", {"rows": rows})


@login_required
@require_POST
def delete_saved_search(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Saved search deleted."))
    return redirect("community:saved-searches")


@login_required
def alerts_page(request: HttpRequest) -> HttpResponse:
    alerts = list(
        alert_service.Alert.objects.filter(saved_search__user=request.user).select_related(
            "document", "saved_search"
        )[:100]
    )
    response = render(request, "community/alerts.html", {"alerts": alerts})
    alert_service.unread_alerts(request.user).update(read_at=timezone.now())
    return response


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.is_community_manager(request.user):
        raise PermissionDenied
    return render(request, "community/moderation.html", {"queues": services.awaiting_moderation()})


def call_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    eligible_for = None
    slug = request.GET.get("eligible_for", "")
    if slug:
        eligible_for = Organisation.objects.filter(slug=slug).first()
    state = request.GET.get("state", "current")
    state = state if state in services.CALL_STATES else "current"
    calls = services.call_list(
        user,
        text=request.GET.get("q", "").strip()[:200],  # a longer LIKE pattern is an error
        state=state,
        programme=request.GET.get("programme", ""),
        eligible_for=eligible_for,
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    base = {k: v for k, v in request.GET.items() if k != "page"}
    own = Organisation.objects.filter(positions__person__user=user) if user.is_authenticated else []
    context = {
        "page": page,
        "query_string": urlencode(base),
        "criteria": base,
        "state": state,
        "eligible_for": eligible_for,
        "own_organisations": own,
        "programmes": services.programmes(),
        "closing_soon": services.closing_soon(user),
        "today": timezone.localdate(),
        "can_post": permissions.can_post(user),
    }
    template = (
        "community/_call_results.html"
        if request.headers.get("HX-Request")
        else "community/call_list.html"
    )
    return render(request, template, context)


def item_list(request: HttpRequest, collection: str) -> HttpResponse:
    model, _form, title = _collection(collection)
    items = services.visible(model, request.user).select_related("organisation")
    text = request.GET.get("q", "").strip()[:200]  # a longer LIKE pattern is an error
    if text:
        items = items.filter(title__icontains=text)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/item_list.html",
        {
            "page": page,
            "collection": collection,
            "title": title,
            "text": text,
            "query_string": urlencode({"q": text} if text else {}),
            "can_post": permissions.can_post(request.user),
        },
    )


def item_detail(request: HttpRequest, collection: str, pk: int) -> HttpResponse:
    model, _form, title = _collection(collection)
    item = get_object_or_404(model, pk=pk)
    if not permissions.can_view(request.user, item):
        raise Http404
    return render(
        request,
        f"community/{collection}_detail.html",
        {
            "item": item,
            "collection": collection,
            "collection_title": title,
            "can_edit": permissions.can_edit(request.user, item),
            "can_moderate": permissions.can_moderate(request.user, item),
            "today": timezone.localdate(),
        },
    )


@login_required
def item_edit(request: HttpRequest, collection: str, pk: int | None = None) -> HttpResponse:
    model, form_class, title = _collection(collection)
    item = get_object_or_404(model, pk=pk) if pk else model()
    if pk and not permissions.can_view(request.user, item):
        raise Http404  # someone else's draft: not there for them, as if it did not exist
    if pk and not permissions.can_edit(request.user, item):
        raise PermissionDenied
    if not pk and not permissions.can_post(request.user):
        raise PermissionDenied
    was_published = item.status == Status.PUBLISHED
    form = form_class(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        m2m = {name: form.cleaned_data.get(name) or [] for name in M2M[collection]}
        try:
            item = services.save_item(form.save(commit=False), request.user, m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if was_published and item.status == Status.PENDING:
                messages.warning(
                    request,
                    _(
                        "Saved. The change goes to the moderators: the item is not shown "
                        "until they publish it again."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "community/item_form.html",
        {
            "form": form,
            "item": item,
            "collection": collection,
            "collection_title": title,
            "back_to_review": was_published and not permissions.can_publish(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_action(request: HttpRequest, collection: str, pk: int, action: str) -> HttpResponse:
    model, _form, _title = _collection(collection)
    item = get_object_or_404(model, pk=pk)
    if not permissions.can_view(request.user, item):
        raise Http404  # someone else's draft is not there to act on, even to moderate
    try:
        services.change_status(item, request.user, action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": item.get_status_display()})
    return redirect(item.get_absolute_url())
