"""The review of duplicate proposals: a list, a page per pair (side by side: merge, not the
same, skip) and the undo of a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import DuplicateProposal, MergeRecord, Organisation, identifiers_of
from . import permissions
from .merge import MergeError, choose_kept, merge, relation_fields, undo
from .reasons import AGAINST, describe

Status = DuplicateProposal.Status


def _require_reviewer(user) -> None:
    if not permissions.can_review_duplicates(user):
        raise PermissionDenied


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    status = request.GET.get("status", Status.OPEN)
    if status not in Status.values:
        status = Status.OPEN
    proposals = permissions.reviewable_proposals(
        request.user, DuplicateProposal.objects.filter(status=status)
    )
    page = Paginator(proposals.order_by("-score", "id"), 50).get_page(request.GET.get("page"))
    merges = [
        record
        for record in MergeRecord.objects.filter(undone_at__isnull=True)[:200]
        if permissions.can_undo_merge(request.user, record)
    ][:20]
    return render(
        request,
        "registry/duplicates/list.html",
        {
            "page": page,
            "status": status,
            "query_string": f"status={status}",
            "statuses": Status.choices,
            "merges": merges,
        },
    )


def _side(organisation: Organisation | None) -> dict | None:
    """What the page shows of one organisation of the pair."""
    if organisation is None:
        return None
    counts = []
    for field in relation_fields(Organisation):
        count = field.model._base_manager.filter(**{field.attname: organisation.pk}).count()
        if count:
            meta = field.model._meta
            label = f"{capfirst(meta.verbose_name_plural)} ({meta.app_config.verbose_name})"
            counts.append((label, field.name, count))
    return {
        "organisation": organisation,
        "identifiers": {k: v for k, v in identifiers_of(organisation).items() if v},
        "relations": counts,
    }


def _decide(request, proposal: DuplicateProposal, pair: dict[int, Organisation]) -> str:
    action = request.POST.get("action")
    if action == "merge":
        if len(pair) != 2:
            raise Http404
        a, b = pair[proposal.a_id], pair[proposal.b_id]
        keep_choice = request.POST.get("keep")
        kept, gone = {"a": (a, b), "b": (b, a)}.get(keep_choice) or choose_kept(a, b)
        merge(kept, gone, user=request.user, proposal=proposal)
        messages.success(
            request,
            _("“%(gone)s” was merged into “%(kept)s”.") % {"gone": gone.name, "kept": kept.name},
        )
        return kept.get_absolute_url()
    if action in (Status.NOT_SAME, Status.SKIPPED):
        proposal.status = action
        proposal.decided_by = request.user
        proposal.decided_at = timezone.now()
        proposal.save()
        if action == Status.NOT_SAME:
            messages.success(request, _("Noted: these two will not be proposed again."))
        else:
            messages.info(request, _("Skipped: the pair waits among the skipped ones."))
        return _next_url(request.user)
    raise PermissionDenied


def _next_url(user) -> str:
    following = permissions.reviewable_proposals(
        user, DuplicateProposal.objects.filter(status=Status.OPEN)
    ).first()
    if following is not None:
        return reverse("registry:duplicate", args=[following.pk])
    return reverse("registry:duplicates")


@login_required
def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    proposal = get_object_or_404(DuplicateProposal, pk=pk)
    if not permissions.can_review_pair(request.user, proposal.a_id, proposal.b_id):
        raise PermissionDenied
    pair = {o.pk: o for o in Organisation.objects.filter(pk__in=[proposal.a_id, proposal.b_id])}
    if request.method == "POST":
        if proposal.status not in (Status.OPEN, Status.SKIPPED):
            messages.error(request, _("This pair was decided already."))
            return redirect("registry:duplicate", pk=proposal.pk)
        return redirect(_decide(request, proposal, pair))
    a, b = pair.get(proposal.a_id), pair.get(proposal.b_id)
    default_kept = choose_kept(a, b)[0] if a and b else None
    reasons_for = [describe(r) for r in proposal.reasons if r.get("code") not in AGAINST]
    reasons_against = [describe(r) for r in proposal.reasons if r.get("code") in AGAINST]
    merge_record = proposal.merges.filter(undone_at__isnull=True).first()
    return render(
        request,
        "registry/duplicates/review.html",
        {
            "proposal": proposal,
            "sides": [("a", _side(a), proposal.a_name), ("b", _side(b), proposal.b_name)],
            "default_kept": "a" if default_kept is a else "b",
            "reasons_for": reasons_for,
            "reasons_against": reasons_against,
            "merge_record": merge_record,
            "can_undo": merge_record is not None
            and permissions.can_undo_merge(request.user, merge_record),
            "decidable": proposal.status in (Status.OPEN, Status.SKIPPED) and len(pair) == 2,
        },
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    record = get_object_or_404(MergeRecord, pk=pk)
    if not permissions.can_undo_merge(request.user, record):
        raise PermissionDenied
    try:
        restored = undo(record, user=request.user)
    except MergeError as error:
        messages.error(request, str(error))
        return redirect("registry:duplicates")
    messages.success(
        request, _("The merge was undone: “%(name)s” is back.") % {"name": restored.name}
    )
    if record.proposal_id:
        return redirect("registry:duplicate", pk=record.proposal_id)
    return redirect(restored)
