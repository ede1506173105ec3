"""Brokering operations: save a questionnaire, ask for and answer introductions, match.

Views, the API and the CLI call these; they take plain values and raise
`ValidationError` with messages naming the field and the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import (
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Region,
    SizeClass,
    Term,
)
from clusterbroker.registry.slugs import unique_slug
from clusterbroker.text.detect import platform_languages
from clusterbroker.web.text_rules import validate_name

from . import notices, permissions
from .anonymity import NOTHING, Disclosure, profile_disclosures
from .embeddings import embed
from .models import Introduction, Need, NeedKind, Offer, Profile, Stage
from .models.profiles import NEED_REF_PATTERN


@dataclass
class OfferData:
    title: str
    description: str = ""
    terms: list[str] = field(default_factory=list)
    language: str = ""  # the author's choice; "" to detect it from the text


@dataclass
class NeedData:
    kind: str
    description: str
    terms: list[str] = field(default_factory=list)
    confidential: bool = False
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    local: bool = False
    id: int | None = None
    language: str = ""  # the author's choice; "" to detect it from the text


@dataclass
class Questionnaire:
    """Everything the questionnaire asks, as plain values.

    Either `organisation` (an existing one) or `new_name`/`new_kind`/`new_country`.
    Terms are `taxonomy:code` keys.
    """

    organisation: Organisation | None = None
    new_name: str = ""
    new_kind: str = OrganisationKind.COMPANY
    new_country: str = ""
    size_class: str = ""
    summary: str = ""
    sector: str = ""
    stage: str = ""
    countries_of_interest: list[str] = field(default_factory=list)
    regions_of_interest: list[str] = field(default_factory=list)  # NUTS codes
    cross_border: bool = True
    offers: list[OfferData] = field(default_factory=list)
    needs: list[NeedData] = field(default_factory=list)


def resolve_terms(keys: list[str], where: str) -> list[Term]:
    """Terms for `taxonomy:code` keys; an unknown key is an error naming it."""
    terms, unknown = [], []
    for key in keys:
        taxonomy, _sep, code = key.partition(":")
        term = Term.objects.filter(taxonomy__code=taxonomy, code=code).first()
        if term is None:
            unknown.append(key)
        else:
            terms.append(term)
    if unknown:
        raise ValidationError(
            {
                where: _("Unknown taxonomy term(s): %(terms)s (use taxonomy:code).")
                % {"terms": ", ".join(unknown)}
            }
        )
    return terms


def _check(data: Questionnaire) -> dict[str, list]:
    """Every problem of the questionnaire at once, by field."""
    errors: dict[str, list] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.organisation is None:
        if not data.new_name.strip():
            add("new_name", _("Give the organisation's name or choose an existing one."))
        else:
            try:
                validate_name(data.new_name.strip())
            except ValidationError as error:
                add("new_name", error.messages[0])
        if data.new_kind not in OrganisationKind.values:
            add("new_kind", _("Unknown organisation type “%(v)s”.") % {"v": data.new_kind})
        try:
            data.new_country = normalise_country(data.new_country)
        except ValidationError as error:
            add("new_country", error.messages[0])
    if data.size_class and data.size_class not in SizeClass.values:
        add("size_class", _("Unknown size class “%(v)s”.") % {"v": data.size_class})
    if data.stage and data.stage not in Stage.values:
        add("stage", _("Unknown stage “%(v)s”.") % {"v": data.stage})
    countries = []
    for code in data.countries_of_interest:
        try:
            countries.append(normalise_country(code))
        except ValidationError as error:
            add("countries_of_interest", error.messages[0])
    data.countries_of_interest = countries
    known = set(
        Region.objects.filter(code__in=data.regions_of_interest).values_list("code", flat=True)
    )
    unknown = [code for code in data.regions_of_interest if code not in known]
    if unknown:
        add(
            "regions_of_interest",
            _("Unknown region(s): %(codes)s (use NUTS codes such as FRK).")
            % {"codes": ", ".join(unknown)},
        )
    for i, offer in enumerate(data.offers, start=1):
        if not offer.title.strip():
            add(f"offers[{i}].title", _("Offer %(n)d has no title.") % {"n": i})
    for i, need in enumerate(data.needs, start=1):
        if not need.description.strip():
            add(f"needs[{i}].description", _("Need %(n)d is empty: say what you need.") % {"n": i})
        if need.kind not in NeedKind.values:
            add(f"needs[{i}].kind", _("Unknown kind of need “%(v)s”.") % {"v": need.kind})
        if need.window_start and need.window_end and need.window_end < need.window_start:
            add(f"needs[{i}].window_end", _("The window ends before it starts."))
    for prefix, items in (("offers", data.offers), ("needs", data.needs)):
        for i, item in enumerate(items, start=1):
            if item.language and item.language not in platform_languages():
                add(
                    f"{prefix}[{i}].language",
                    _("Unknown language “%(v)s”: use one of %(codes)s.")
                    % {"v": item.language, "codes": ", ".join(platform_languages())},
                )
            try:
                resolve_terms(item.terms, f"{prefix}[{i}].terms")
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
    return errors


class ConsentRequired(PermissionDenied):
    """A keeper through a relation tried what only the organisation itself may do: make one
    of its confidential needs public, or remove one. `messages` name each need and why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def _need_label(need: Need) -> str:
    text = " ".join(need.description.split())
    text = text if len(text) <= 40 else text[:39] + "…"
    return f"{need.get_kind_display()} #{need.pk}, “{text}”"


def _undelegable_changes(user, organisation: Organisation, data: Questionnaire) -> list[str]:
    """What the save would disclose without the organisation's own consent: every confidential
    need it would make public or remove, when the user keeps the profile only through a
    relation (consent is never delegated). Empty when the user may."""
    if permissions.can_disclose_needs(user, organisation):
        return []
    readable = permissions.visible_confidential_need_ids(user)
    confidential = {
        need.pk: need
        for need in Need.objects.filter(
            profile__organisation=organisation, confidential=True, pk__in=readable
        ).order_by("pk")
    }
    reason = {"org": organisation.name}
    problems = [
        _(
            "needs[%(n)d]: %(need)s is confidential; only %(org)s's own editors and "
            "managers may make it public (consent is never delegated)."
        )
        % {"n": i, "need": _need_label(confidential[item.id]), **reason}
        for i, item in enumerate(data.needs, start=1)
        if item.id in confidential and not item.confidential
    ]
    submitted = {item.id for item in data.needs if item.id}
    problems += [
        _(
            "needs: the confidential need %(need)s is missing from the questionnaire; "
            "only %(org)s's own editors and managers may remove it (consent is never "
            "delegated)."
        )
        % {"need": _need_label(need), **reason}
        for pk, need in confidential.items()
        if pk not in submitted
    ]
    return problems


def unreadable_need_ids(user, profile: Profile) -> set[int]:
    """The profile's confidential needs the user may not read: a save by this user leaves
    them as they are (it cannot remove, change or publish what it was not shown)."""
    readable = permissions.visible_confidential_need_ids(user)
    return set(
        profile.needs.filter(confidential=True)
        .exclude(pk__in=readable)
        .values_list("pk", flat=True)
    )


def profile_text(profile: Profile) -> str:
    """The public text of a profile: who it is and what it offers (never its needs)."""
    parts = [profile.organisation.description, profile.summary, profile.sector]
    parts += [o.text for o in profile.offers.all()]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def save_questionnaire(user: AbstractBaseUser, data: Questionnaire) -> Profile:
    """Create or update the organisation's profile from the questionnaire; embed its texts."""
    if not permissions.can_fill_questionnaire(user):
        raise PermissionDenied
    errors = _check(data)
    if errors:
        raise ValidationError(errors)
    organisation = data.organisation
    if organisation is None:
        organisation = _create_organisation(user, data)
    elif not permissions.can_keep_profile(user, organisation):
        raise PermissionDenied
    else:
        refused = _undelegable_changes(user, organisation, data)
        if refused:
            raise ConsentRequired(refused)
    if data.size_class and organisation.size_class != data.size_class:
        organisation.size_class = data.size_class
        organisation.save(update_fields=["size_class", "updated_at"])

    profile, _created = Profile.objects.get_or_create(organisation=organisation)
    profile.summary = data.summary.strip()
    profile.sector = data.sector.strip()
    profile.stage = data.stage
    profile.countries_of_interest = data.countries_of_interest
    profile.cross_border = data.cross_border
    profile.save()
    profile.regions_of_interest.set(Region.objects.filter(code__in=data.regions_of_interest))

    profile.offers.all().delete()
    for i, item in enumerate(data.offers, start=1):
        offer = Offer(
            profile=profile, title=item.title.strip(), description=item.description.strip()
        )
        offer.choose_language(item.language)
        offer.save()
        offer.terms.set(resolve_terms(item.terms, f"offers[{i}].terms"))

    # The needs the user may not read are neither shown to them nor changed by their save.
    editable = profile.needs.exclude(pk__in=unreadable_need_ids(user, profile))
    keep = [n.id for n in data.needs if n.id]
    editable.exclude(pk__in=keep).delete()
    for i, item in enumerate(data.needs, start=1):
        need = editable.filter(pk=item.id).first() if item.id else None
        need = need or Need(profile=profile)
        need.kind = item.kind
        need.description = item.description.strip()
        need.confidential = item.confidential
        need.window_start = item.window_start
        need.window_end = item.window_end
        need.local = item.local
        need.choose_language(item.language)
        need.save()
        need.terms.set(resolve_terms(item.terms, f"needs[{i}].terms"))

    embed_profile(profile)
    return profile


def _create_organisation(user, data: Questionnaire) -> Organisation:
    organisation = Organisation.objects.create(
        name=data.new_name.strip(),
        slug=unique_slug(Organisation, data.new_name.strip()),
        kind=data.new_kind,
        country=data.new_country,
        size_class=data.size_class,
        description=data.summary.strip(),
    )
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        user=user,
        first_name=user.first_name or user.get_username(),
        last_name=user.last_name or "",
        email=user.email or "",
    )
    Position.objects.create(person=person, organisation=organisation, role=Position.Role.EDITOR)
    return organisation


def embed_profile(profile: Profile) -> None:
    """Store the embeddings of the profile, its offers and its needs (at save time)."""
    offers = list(profile.offers.all())
    needs = list(profile.needs.all())
    texts = [profile_text(profile)] + [o.text for o in offers] + [n.description for n in needs]
    vectors = embed(texts)
    Profile.objects.filter(pk=profile.pk).update(embedding=vectors[0])
    profile.embedding = vectors[0]
    for item, vector in zip(offers + needs, vectors[1:], strict=True):
        type(item).objects.filter(pk=item.pk).update(embedding=vector)
        item.embedding = vector


# Introductions -----------------------------------------------------------------------------


@transaction.atomic
def request_introduction(
    user: AbstractBaseUser, need: Need, requester: Organisation, message: str = ""
) -> Introduction:
    if not need.confidential:
        raise ValidationError(_("This need is public: contact its owner directly."))
    if not permissions.can_request_introduction(user, need, requester):
        raise PermissionDenied
    introduction, created = Introduction.objects.get_or_create(
        need=need,
        requester=requester,
        defaults={"requested_by": user, "message": message.strip()},
    )
    if not created:
        raise ValidationError(
            _("%(org)s has already asked for this introduction (%(status)s).")
            % {"org": requester.name, "status": introduction.get_status_display()}
        )
    notices.introduction_requested(introduction, actor=user)
    return introduction


ANSWERABLE = (Introduction.Status.PENDING, Introduction.Status.REVOKED)


@transaction.atomic
def answer_introduction(
    user: AbstractBaseUser, introduction: Introduction, accept: bool
) -> Introduction:
    """Accept or decline; a pending request, or one whose acceptance was revoked."""
    if not permissions.can_answer_introduction(user, introduction):
        raise PermissionDenied
    if introduction.status not in ANSWERABLE:
        raise ValidationError(_("This request has already been answered."))
    introduction.status = Introduction.Status.ACCEPTED if accept else Introduction.Status.DECLINED
    introduction.answered_by = user
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["status", "answered_by", "answered_at"])
    notices.introduction_answered(introduction, actor=user)
    return introduction


def revoke_unbacked_introductions(organisation_ids: set[int] | None = None) -> int:
    """Revoke the acceptances given by users who no longer keep the need's profile.

    Called when a relation that makes someone a keeper (a position, a cluster
    membership, a partnership seat) is removed: the access that relation gave goes with it.
    `organisation_ids` limits the check to needs of these organisations (all when None).
    Returns how many introductions were revoked.
    """
    accepted = Introduction.objects.filter(
        status=Introduction.Status.ACCEPTED, answered_by__isnull=False
    ).select_related("answered_by", "need__profile")
    if organisation_ids is not None:
        accepted = accepted.filter(need__profile__organisation_id__in=organisation_ids)
    revoked, kept_by_user = [], {}
    for introduction in accepted:
        user = introduction.answered_by
        if registry_permissions.is_platform_admin(user) and user.is_active:
            continue
        if user.pk not in kept_by_user:
            kept_by_user[user.pk] = (
                permissions.kept_organisation_ids(user) if user.is_active else set()
            )
        if introduction.need.profile.organisation_id not in kept_by_user[user.pk]:
            revoked.append(introduction)
    for introduction in revoked:
        # One save each: the audit trail records every revocation.
        introduction.status = Introduction.Status.REVOKED
        introduction.save(update_fields=["status"])
    return len(revoked)


@dataclass
class NeedSummary:
    """What someone who may not read a confidential need sees of it: never its owner, and
    the owner's sector and place only as precisely as at least five profiles share them."""

    ref: str  # never the id: by its neighbours, the id would tell whose the need is
    kind: str
    terms: list[str]
    sector: str
    country: str  # ISO code, or "" when the place shown is wider than a country
    area: str  # the place in words ("" when none is shown)
    window_start: dt.date | None
    window_end: dt.date | None


def clean_query(q: str) -> str:
    """Search words as typed, without NUL characters (no database stores them), at most 200
    characters (SQLite refuses longer LIKE patterns than it can match)."""
    return q.replace("\x00", "").strip()[:200]


def search_needs(user, needs, q: str = "", kind: str = "") -> QuerySet[Need]:
    """Needs of kind `kind` matching the words `q`, for this user: a confidential need the user
    may not read is found only by what its anonymised summary shows (kind, technologies,
    sector when shown), never by its text or by its owner's exact sector."""
    if kind:
        needs = needs.filter(kind=kind)
    q = clean_query(q)
    if not q:
        return needs
    readable = Q(confidential=False) | Q(pk__in=permissions.visible_confidential_need_ids(user))
    shown_sector = [
        pk for pk, shown in profile_disclosures().items() if q.casefold() in shown.sector.casefold()
    ]
    return needs.filter(
        (readable & (Q(description__icontains=q) | Q(profile__sector__icontains=q)))
        | Q(terms__label__icontains=q)
        | Q(confidential=True, profile_id__in=shown_sector)
    ).distinct()


def ordered_for(user, needs: QuerySet[Need]) -> QuerySet[Need]:
    """The needs the user may read, newest first; then the anonymised ones apart, by their
    random ref: never next to the needs made just before and after them, which name their
    owner (`anonymised` is annotated)."""
    readable = permissions.visible_confidential_need_ids(user)
    hidden = Q(confidential=True) & ~Q(pk__in=readable)
    return needs.annotate(
        anonymised=Case(When(hidden, then=Value(True)), default=Value(False)),
        newest=Case(When(hidden, then=Value(None)), default=F("created_at")),
    ).order_by("anonymised", F("newest").desc(nulls_last=True), "ref")


def find_need(user, key: str, queryset: QuerySet[Need] | None = None) -> Need | None:
    """The need `key` names for this user: its ref, for everyone; its database id, only for
    those who may use it (`permissions.can_use_need_id`). None when there is none, or none
    this user may address so: the same answer as for a need that does not exist.
    `key` is checked first (no odd text reaches the database); an id beyond what a database
    holds raises `ValueError`."""
    needs = queryset if queryset is not None else Need.objects.all()
    needs = needs.select_related("profile__organisation")
    if key.isascii() and key.isdigit():
        if len(key) > 19 or not 0 < int(key) <= MAX_ID:
            raise ValueError(key)
        need = needs.filter(pk=int(key)).first()
        return need if need is not None and permissions.can_use_need_id(user, need) else None
    if not NEED_REF_PATTERN.fullmatch(key):
        return None
    return needs.filter(ref=key).first()


MAX_ID = 2**63 - 1  # the largest id a database holds


def anonymised(need: Need, disclosures: dict[int, Disclosure] | None = None) -> NeedSummary:
    """`disclosures` (from `anonymity.profile_disclosures()`) saves a query per need in lists."""
    if disclosures is None:
        disclosures = profile_disclosures()
    shown = disclosures.get(need.profile_id, NOTHING)
    return NeedSummary(
        ref=need.ref,
        kind=need.get_kind_display(),
        terms=[t.label_in() for t in need.terms.all()],
        sector=shown.sector,
        country=shown.country,
        area=shown.area,
        window_start=need.window_start,
        window_end=need.window_end,
    )
