"""Pages for relation requests: propose a membership or a partnership seat, and answer,
decline or withdraw proposals (the rules are in `relations.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import relations
from .models import Membership, Organisation, Partnership, PartnershipMember, RelationRequest


@login_required
def relation_requests(request: HttpRequest) -> HttpResponse:
    visible = relations.requests_for(request.user)
    awaiting = list(relations.awaiting_user(request.user))
    awaiting_ids = {r.pk for r in awaiting}
    proposed = [
        r
        for r in visible.filter(status=RelationRequest.Status.PENDING)
        if r.pk not in awaiting_ids and relations.may_withdraw(request.user, r)
    ]
    answered = visible.exclude(status=RelationRequest.Status.PENDING)[:50]
    return render(
        request,
        "registry/relation_requests.html",
        {"awaiting": awaiting, "proposed": proposed, "answered": answered},
    )


ACTIONS = {
    "accept": (relations.accept, _("Accepted: the relation now holds.")),
    "decline": (relations.decline, _("Declined.")),
    "withdraw": (relations.withdraw, _("Withdrawn.")),
}


@login_required
@require_POST
def relation_request_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_object_or_404(RelationRequest, pk=pk)
    if action not in ACTIONS or not relations.may_see(request.user, item):
        raise Http404
    function, done = ACTIONS[action]
    try:
        function(request.user, item)
    except PermissionDenied as error:
        messages.error(request, " ".join(error.args) or _("You may not do this."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("registry:relation-requests")


@login_required
@require_POST
def relation_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a membership or a seat for the organisation of the page (or, on a cluster's
    page, for one of the user's own organisations)."""
    page = get_object_or_404(Organisation, slug=slug)
    kind = request.POST.get("kind", "")
    organisation = Organisation.objects.filter(slug=request.POST.get("organisation", "")).first()
    key = request.POST.get("counterpart", "")
    if organisation is None or kind not in (
        RelationRequest.Kind.MEMBERSHIP,
        RelationRequest.Kind.PARTNERSHIP_MEMBER,
    ):
        messages.error(request, _("Choose what to propose."))
        return redirect(page)
    if kind == RelationRequest.Kind.MEMBERSHIP:
        cluster = Organisation.objects.filter(slug=key, kind="cluster").first()
        relation = Membership(organisation=organisation, cluster=cluster)
    else:
        relation = PartnershipMember(
            organisation=organisation, partnership=Partnership.objects.filter(slug=key).first()
        )
    if (
        relation.organisation is None
        or getattr(relation, relations.counterpart_field(kind)) is None
    ):
        messages.error(request, _("No such cluster or partnership."))
        return redirect(page)
    try:
        outcome = relations.propose(request.user, relation, request.POST.get("message", ""))
    except PermissionDenied:
        messages.error(request, _("You act for neither side of this relation."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if outcome.pending:
            messages.success(
                request,
                _("Proposed: the other side is asked to accept. Until then nothing changes."),
            )
        else:
            messages.success(request, _("Done: the relation now holds."))
    return redirect(page)
