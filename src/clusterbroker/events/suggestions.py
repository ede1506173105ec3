"""Events and brokering profiles: a registration starts from the organisation's brokering
profile, and the catalogue suggests whom to meet with the brokering engine.

A registration is read by every participant of the event: only the profile's public offers
and needs are copied into it, never a confidential need.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from clusterbroker.brokering import engine
from clusterbroker.brokering import permissions as brokering_permissions
from clusterbroker.brokering.models import Profile
from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Organisation, Position, Term

from .models import Participant

SUGGESTIONS = 5  # how many participants the catalogue suggests
RANKED = 300  # how deep the engine's ranking is read to find the event's participants


@dataclass
class ProfileStart:
    """What a registration starts from: the form's initial values, taken from a profile."""

    profile: Profile
    initial: dict
    confidential_left_out: int = 0


def profiles_to_start_from(user, organisations: QuerySet[Organisation]) -> QuerySet[Profile]:
    """The brokering profiles a registration may start from: those of the organisations the
    user may register. A platform admin, who may register any organisation, is offered
    only the profiles of the organisations where they hold a position (the others are
    named explicitly)."""
    if registry_permissions.is_platform_admin(user):
        own = Position.objects.filter(person__user=user).values_list("organisation_id", flat=True)
        organisations = organisations.filter(pk__in=own)
    return Profile.objects.filter(organisation__in=organisations).select_related("organisation")


def start_from_profile(profile: Profile) -> ProfileStart:
    """The registration's initial values from the profile: its public offers and needs as
    text, its summary, the technologies of both; confidential needs are counted, not
    copied (a registration is read by every participant)."""
    offers = list(profile.offers.prefetch_related("terms"))
    needs = list(profile.needs.prefetch_related("terms"))
    public = [n for n in needs if not n.confidential]
    terms: dict[int, Term] = {}
    for item in [*offers, *public]:
        for term in item.terms.all():
            terms.setdefault(term.pk, term)
    organisation = profile.organisation
    initial = {
        "organisation": organisation,
        "offers": "\n".join(_line(o.title, o.description) for o in offers),
        "needs": "\n".join(_line("", n.description) for n in public),
        "description": profile.summary or organisation.description,
        "terms": list(terms.values()),
    }
    return ProfileStart(
        profile=profile,
        initial=initial,
        confidential_left_out=len(needs) - len(public),
    )


def _line(title: str, text: str) -> str:
    text = " ".join(text.split())
    if title and text:
        return f"- {title}: {text}"
    return f"- {title or text}"


@dataclass(frozen=True)
class Suggestion:
    participant: Participant
    reasons: list[str]
    score: float


def profile_of(participant: Participant) -> Profile | None:
    return Profile.objects.filter(organisation_id=participant.organisation_id).first()


def may_match(user, profile: Profile) -> bool:
    """Suggestions use the profile's confidential needs: for its keepers only."""
    return brokering_permissions.can_match(user, profile)


def suggested_participants(user, me: Participant, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Participants of `me`'s event to meet, ranked by the brokering engine for the needs of
    `me`'s organisation's profile (what they offer first), with the engine's reasons.
    Empty when the organisation has no profile, or the user does not keep it (the ranking
    uses its confidential needs, and its reasons may name their terms)."""
    profile = profile_of(me)
    if profile is None or not may_match(user, profile):
        return []
    others = {
        p.organisation_id: p
        for p in me.event.participants.exclude(pk=me.pk).select_related("organisation")
    }
    if not others:
        return []
    results = engine.match_profile(profile, "partners", RANKED, user=user)
    suggestions = []
    for result in results:
        participant = others.get(getattr(result.item, "pk", None))
        if participant is not None:
            suggestions.append(Suggestion(participant, list(result.reasons), result.score))
        if len(suggestions) == limit:
            break
    return suggestions
