"""The registry's API resources: organisations, memberships, partnerships, partnership
members, competences, projects and participations."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from clusterbroker.registry import permissions, relations
from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.forms import IdentifiersForm
from clusterbroker.registry.models import (
    NUMBER_FIELDS,
    Competence,
    Membership,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    Project,
    Region,
    Term,
    identifiers_of,
)
from clusterbroker.registry.services import (
    OrganisationFilter,
    competence_matrix,
    filter_organisations,
)
from clusterbroker.registry.slugs import unique_slug
from clusterbroker.text.models import apply_language

from .auth import WRITE_AUTH
from .crud import ErrorOut, Resource
from .relation_requests import RelationRequestOut, propose_through_api

# ---------------------------------------------------------------- organisations


class OrganisationOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    size_class: str
    country: str
    region: str | None = None
    city: str
    website: str
    description: str
    year_founded: int | None
    member_count: int | None
    sme_member_count: int | None
    main_thematic: str
    language: str = Field(
        description="The language of the description (en, fr, de …; empty: not known)."
    )
    language_detected: bool = Field(
        description="True when the language was detected from the text, false when chosen."
    )
    identifiers: dict[str, str | None] = Field(
        description="The codes it is known by elsewhere: pic, vat, domain, dih (null: none)."
    )

    @staticmethod
    def resolve_region(obj: Organisation) -> str | None:
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_identifiers(obj: Organisation) -> dict[str, str | None]:
        return identifiers_of(obj)


class OrganisationUpdate(Schema):
    name: str | None = None
    acronym: str | None = None
    kind: str | None = None
    size_class: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    website: str | None = None
    description: str | None = None
    year_founded: int | None = None
    member_count: int | None = None
    sme_member_count: int | None = None
    main_thematic: str | None = None
    language: str | None = Field(
        None,
        description="The language of the description, chosen (en, fr, de …); empty or null: "
        "detected from the text at every change.",
    )
    language_detected: bool | None = Field(
        None, description="True: detect the language from the text, whatever `language` says."
    )


class OrganisationCreate(OrganisationUpdate):
    name: str
    kind: str
    country: str


class OrganisationFilters(Schema):
    q: str = Field(
        "",
        description="Search words: organisations whose name matches come first, then those "
        "whose description, competences or brokering offers say what was asked (ranked; "
        "a few synonyms such as cobots / collaborative robots).",
    )
    kind: str = ""
    country: str = ""
    term: str = ""
    partnership: str = ""


def _organisations(filters: OrganisationFilters) -> QuerySet:
    return filter_organisations(
        OrganisationFilter(
            text=filters.q,
            kind=filters.kind,
            country=filters.country,
            term=filters.term,
            partnership=filters.partnership,
        )
    ).prefetch_related("identifiers")


def _unprocessable(field: str, message: str) -> HttpError:
    return HttpError(422, f"{field}: {message}")


def _build_organisation(request: HttpRequest, data: dict, instance: Model | None) -> Model:
    organisation = instance or Organisation()
    if "country" in data and data["country"] is not None:
        try:
            data["country"] = normalise_country(data["country"])
        except ValidationError as error:
            raise _unprocessable("country", " ".join(error.messages)) from error
    if "region" in data:
        code = (data.pop("region") or "").strip().upper()
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            raise _unprocessable("region", f"unknown NUTS code “{code}”")
        organisation.region = region
    apply_language(organisation, data)
    for name, value in data.items():
        setattr(organisation, name, "" if value is None and name not in NUMBER_FIELDS else value)
    if organisation.pk is None:
        organisation.slug = unique_slug(Organisation, organisation.name or "organisation")
    return organisation


organisations = Resource(
    name="organisations",
    model=Organisation,
    out_schema=OrganisationOut,
    create_schema=OrganisationCreate,
    update_schema=OrganisationUpdate,
    filter_schema=OrganisationFilters,
    queryset=_organisations,
    build=_build_organisation,
    may_create=lambda user, o: permissions.can_create_organisation(user),
    may_change=permissions.can_edit_organisation,
    may_delete=permissions.can_delete_organisation,
    lookup="slug",
    lookup_type=str,
)

# ---------------------------------------------------------------- identifiers


class IdentifiersIn(Schema):
    pic: str | None = None
    vat: str | None = None
    domain: str | None = None
    dih: str | None = None


identifiers_router = Router(tags=["organisations"])


@identifiers_router.put(
    "/{key}/identifiers",
    response={200: dict[str, str | None], 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Set an organisation's identifiers",
    description="pic (9 digits), vat (with its country prefix), domain (a domain or an "
    "address: stored as the bare domain), dih (JRC catalogue id). A field left out keeps its "
    "code, null or an empty string removes it; a code another organisation holds is a 409.",
    operation_id="set_organisation_identifiers",
)
def set_identifiers(request: HttpRequest, key: str, payload: IdentifiersIn):
    organisation = get_object_or_404(Organisation, slug=key)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise HttpError(403, "You may not change this record.")
    data = {**identifiers_of(organisation), **payload.dict(exclude_unset=True)}
    form = IdentifiersForm(
        {scheme: value or "" for scheme, value in data.items()}, organisation=organisation
    )
    if not form.is_valid():
        clash = any(form.has_error(scheme, "taken") for scheme in form.errors)
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        raise HttpError(409 if clash else 422, detail)
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as error:
        raise HttpError(409, "Another organisation took one of these codes meanwhile.") from error
    return Status(200, identifiers_of(organisation))


# ---------------------------------------------------------------- helpers for links


def _organisation(slug: str, field: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise _unprocessable(field, f"unknown organisation “{slug}”")
    return organisation


def _apply(instance: Model, data: dict, links: dict) -> Model:
    """Set plain fields from `data`; `links` maps a field to a function resolving its value."""
    for name, value in data.items():
        setattr(instance, name, links[name](value, name) if name in links else value)
    return instance


def _by_slug_filter(qs: QuerySet, **conditions) -> QuerySet:
    return qs.filter(**{k: v for k, v in conditions.items() if v})


# ---------------------------------------------------------------- memberships


class MembershipOut(Schema):
    id: int
    organisation: str
    cluster: str
    role: str
    since: dt.date | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_cluster(obj) -> str:
        return obj.cluster.slug


class MembershipUpdate(Schema):
    role: str | None = None
    since: dt.date | None = None


class MembershipCreate(MembershipUpdate):
    organisation: str
    cluster: str
    role: str = "member"


class MembershipFilters(Schema):
    organisation: str = ""
    cluster: str = ""


memberships = Resource(
    name="memberships",
    model=Membership,
    out_schema=MembershipOut,
    create_schema=MembershipCreate,
    update_schema=MembershipUpdate,
    filter_schema=MembershipFilters,
    queryset=lambda f: _by_slug_filter(
        Membership.objects.select_related("organisation", "cluster"),
        organisation__slug=f.organisation,
        cluster__slug=f.cluster,
    ),
    build=lambda request, data, instance: _apply(
        instance or Membership(),
        data,
        {"organisation": _organisation, "cluster": _organisation},
    ),
    may_create=relations.may_propose,
    may_change=relations.may_change_role,
    may_delete=relations.may_remove,
    propose=propose_through_api,
    pending_schema=RelationRequestOut,
)

# ---------------------------------------------------------------- partnerships


class PartnershipOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    parent: str | None = None
    coordinator: str | None = None
    start: dt.date | None
    end: dt.date | None
    funding_programme: str
    description: str
    regions: list[str]
    members: list[str]

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_coordinator(obj) -> str | None:
        return obj.coordinator.slug if obj.coordinator_id else None

    @staticmethod
    def resolve_regions(obj) -> list[str]:
        return [r.code for r in obj.regions.all()]

    @staticmethod
    def resolve_members(obj) -> list[str]:
        return [m.organisation.slug for m in obj.memberships.all()]


class PartnershipUpdate(Schema):
    name: str | None = None
    acronym: str | None = None
    kind: str | None = None
    coordinator: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    funding_programme: str | None = None
    description: str | None = None


class PartnershipCreate(PartnershipUpdate):
    name: str
    kind: str


class PartnershipFilters(Schema):
    q: str = ""
    kind: str = ""


def _build_partnership(request: HttpRequest, data: dict, instance: Model | None) -> Model:
    partnership = _apply(
        instance or Partnership(),
        {
            k: ("" if v is None and k in ("acronym", "funding_programme", "description") else v)
            for k, v in data.items()
        },
        {"coordinator": lambda slug, f: _organisation(slug, f) if slug else None},
    )
    if partnership.pk is None:
        partnership.slug = unique_slug(Partnership, partnership.name or "partnership")
    return partnership


partnerships = Resource(
    name="partnerships",
    model=Partnership,
    out_schema=PartnershipOut,
    create_schema=PartnershipCreate,
    update_schema=PartnershipUpdate,
    filter_schema=PartnershipFilters,
    queryset=lambda f: _by_slug_filter(
        Partnership.objects.select_related("parent", "coordinator").prefetch_related(
            "regions", "memberships__organisation"
        ),
        name__icontains=f.q,
        kind=f.kind,
    ),
    build=_build_partnership,
    may_create=lambda user, p: permissions.can_create_partnership(user),
    may_change=permissions.can_edit_partnership,
    may_delete=lambda user, p: permissions.is_platform_admin(user),
    lookup="slug",
    lookup_type=str,
)


class PartnershipMemberOut(Schema):
    id: int
    partnership: str
    organisation: str
    role: str

    @staticmethod
    def resolve_partnership(obj) -> str:
        return obj.partnership.slug

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug


class PartnershipMemberUpdate(Schema):
    role: str | None = None


class PartnershipMemberCreate(Schema):
    partnership: str
    organisation: str
    role: str = "partner"


class PartnershipMemberFilters(Schema):
    partnership: str = ""
    organisation: str = ""


def _partnership(slug: str, field: str) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise _unprocessable(field, f"unknown partnership “{slug}”")
    return partnership


partnership_members = Resource(
    name="partnership-members",
    model=PartnershipMember,
    out_schema=PartnershipMemberOut,
    create_schema=PartnershipMemberCreate,
    update_schema=PartnershipMemberUpdate,
    filter_schema=PartnershipMemberFilters,
    queryset=lambda f: _by_slug_filter(
        PartnershipMember.objects.select_related("partnership", "organisation"),
        partnership__slug=f.partnership,
        organisation__slug=f.organisation,
    ),
    build=lambda request, data, instance: _apply(
        instance or PartnershipMember(),
        data,
        {"partnership": _partnership, "organisation": _organisation},
    ),
    may_create=relations.may_propose,
    may_change=relations.may_change_role,
    may_delete=relations.may_remove,
    propose=propose_through_api,
    pending_schema=RelationRequestOut,
)

# ---------------------------------------------------------------- competences


class CompetenceOut(Schema):
    id: int
    organisation: str
    term: str
    level: str
    evidence: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_term(obj) -> str:
        return obj.term.key


class CompetenceUpdate(Schema):
    level: str | None = None
    evidence: str | None = None


class CompetenceCreate(Schema):
    organisation: str
    term: str
    level: str = "listed"
    evidence: str = ""


class CompetenceFilters(Schema):
    organisation: str = ""
    term: str = ""
    partnership: str = ""


def _term(key: str, field: str) -> Term:
    taxonomy, _, code = key.partition(":")
    term = Term.objects.filter(taxonomy__code=taxonomy, code=code).first()
    if term is None:
        raise _unprocessable(field, f"unknown term “{key}”; write taxonomy:code, e.g. effra:D1")
    return term


def _competences(f: CompetenceFilters) -> QuerySet:
    qs = _by_slug_filter(
        Competence.objects.select_related("organisation", "term__taxonomy"),
        organisation__slug=f.organisation,
        organisation__partnership_memberships__partnership__slug=f.partnership,
    )
    if f.term:
        taxonomy, _, code = f.term.partition(":")
        qs = (
            qs.filter(term__taxonomy__code=taxonomy, term__code=code)
            if code
            else qs.filter(term__taxonomy__code=taxonomy)
        )
    return qs.order_by("organisation__name", "term__taxonomy__code", "term__position")


competences = Resource(
    name="competences",
    model=Competence,
    out_schema=CompetenceOut,
    create_schema=CompetenceCreate,
    update_schema=CompetenceUpdate,
    filter_schema=CompetenceFilters,
    queryset=_competences,
    build=lambda request, data, instance: _apply(
        instance or Competence(), data, {"organisation": _organisation, "term": _term}
    ),
    may_create=lambda user, c: permissions.can_edit_organisation(user, c.organisation),
    may_change=lambda user, c: permissions.can_edit_organisation(user, c.organisation),
    may_delete=lambda user, c: permissions.can_edit_organisation(user, c.organisation),
)

# ---------------------------------------------------------------- projects


class ProjectOut(Schema):
    id: int
    acronym: str
    title: str
    topic_code: str
    funding_scheme: str
    programme: str
    start: dt.date | None
    end: dt.date | None
    objective: str


class ProjectUpdate(Schema):
    acronym: str | None = None
    title: str | None = None
    topic_code: str | None = None
    funding_scheme: str | None = None
    programme: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    objective: str | None = None


class ProjectCreate(ProjectUpdate):
    acronym: str
    coordinator: str | None = Field(
        None,
        description="The organisation that coordinates the project: one you act for (its "
        "editors then change the project). Required except for platform admins.",
    )


class ProjectFilters(Schema):
    q: str = ""
    topic_code: str = ""
    organisation: str = ""


def _projects(f: ProjectFilters) -> QuerySet:
    return _by_slug_filter(
        Project.objects.all(),
        acronym__icontains=f.q,
        topic_code__iexact=f.topic_code,
        participations__organisation__slug=f.organisation,
    ).distinct()


DATE_FIELDS = ("start", "end")


def _build_project(request: HttpRequest, data: dict, instance: Model | None) -> Model:
    coordinator_slug = data.pop("coordinator", None)
    project = _apply(
        instance or Project(),
        {k: ("" if v is None and k not in DATE_FIELDS else v) for k, v in data.items()},
        {},
    )
    if instance is None:
        if coordinator_slug:
            project.new_coordinator = _organisation(coordinator_slug, "coordinator")
        elif not permissions.is_platform_admin(request.user):
            raise _unprocessable(
                "coordinator",
                "name the organisation that coordinates the project (one you act for)",
            )
    return project


def _may_create_project(user, project: Project) -> bool:
    """A project is created with its coordinator, an organisation the user acts for: an
    empty project would be taken by whoever joins it first."""
    coordinator = getattr(project, "new_coordinator", None)
    if coordinator is None:
        return permissions.is_platform_admin(user)
    return relations.acts_for_organisation(user, coordinator)


def _add_coordinator(user, project: Project) -> None:
    coordinator = getattr(project, "new_coordinator", None)
    if coordinator is not None:
        Participation.objects.create(
            project=project, organisation=coordinator, role=Participation.Role.COORDINATOR
        )


projects = Resource(
    name="projects",
    model=Project,
    out_schema=ProjectOut,
    create_schema=ProjectCreate,
    update_schema=ProjectUpdate,
    filter_schema=ProjectFilters,
    queryset=_projects,
    build=_build_project,
    may_create=_may_create_project,
    after_create=_add_coordinator,
    may_change=permissions.can_edit_project,
    may_delete=lambda user, p: permissions.is_platform_admin(user),
)


class ParticipationOut(Schema):
    id: int
    project: int
    organisation: str
    role: str

    @staticmethod
    def resolve_project(obj) -> int:
        return obj.project_id

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug


class ParticipationUpdate(Schema):
    role: str | None = None


class ParticipationCreate(Schema):
    project: int
    organisation: str
    role: str = "participant"


MAX_ID = 2**63 - 1  # the database's largest id


class ParticipationFilters(Schema):
    project: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: str = ""


def _project(pk: int, field: str) -> Project:
    project = Project.objects.filter(pk=pk).first()
    if project is None:
        raise _unprocessable(field, f"unknown project {pk}")
    return project


participations = Resource(
    name="participations",
    model=Participation,
    out_schema=ParticipationOut,
    create_schema=ParticipationCreate,
    update_schema=ParticipationUpdate,
    filter_schema=ParticipationFilters,
    queryset=lambda f: _by_slug_filter(
        Participation.objects.select_related("organisation"),
        project_id=f.project,
        organisation__slug=f.organisation,
    ),
    build=lambda request, data, instance: _apply(
        instance or Participation(),
        data,
        {"project": _project, "organisation": _organisation},
    ),
    may_create=relations.may_propose,
    may_change=relations.may_change_role,
    may_delete=relations.may_remove,
    propose=propose_through_api,
    pending_schema=RelationRequestOut,
)

RESOURCES = [
    organisations,
    memberships,
    partnerships,
    partnership_members,
    competences,
    projects,
    participations,
]

# ---------------------------------------------------------------- competence matrix

matrix_router = Router(tags=["partnerships"])


class MatrixColumnOut(Schema):
    code: str
    label: str  # in the request's language (Accept-Language, ?lang=), English by default
    description: str
    labels: dict[str, str] = {}  # {language code: label}, English included


class MatrixRowOut(Schema):
    organisation: str
    name: str
    levels: dict[str, str]


class MatrixOut(Schema):
    partnership: str
    taxonomy: str
    columns: list[MatrixColumnOut]
    rows: list[MatrixRowOut]


@matrix_router.get("/{key}/matrix", response=MatrixOut, summary="Competence matrix")
def partnership_matrix(request, key: str, taxonomy: str = "effra"):
    """Members × the taxonomy's terms; each cell is the level held, "" when none."""
    partnership = get_object_or_404(Partnership, slug=key)
    matrix = competence_matrix(partnership, taxonomy)
    return {
        "partnership": partnership.slug,
        "taxonomy": matrix.taxonomy_code,
        "columns": [vars(c) for c in matrix.columns],
        "rows": [
            {
                "organisation": row.slug,
                "name": row.name,
                "levels": {
                    c.code: level for c, level in zip(matrix.columns, row.levels, strict=True)
                },
            }
            for row in matrix.rows
        ],
    }
