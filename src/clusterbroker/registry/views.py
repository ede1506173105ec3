import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbroker.importers.tabular import WRITERS
from clusterbroker.invitations import rules as invitation_rules
from clusterbroker.web.exports import export_response

from . import map_data, page_cache, permissions, relations
from .charts import coverage_chart
from .countries import country_name
from .forms import CompetenceForm, OrganisationForm, PartnershipForm
from .listing import countries_in_use
from .models import (
    Competence,
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
    Project,
    Region,
    Taxonomy,
)
from .search import snippets as search_snippets
from .services import (
    OrganisationFilter,
    competence_matrix,
    filter_organisations,
    registry_counts,
)
from .slugs import unique_slug


def _page(request: HttpRequest, items):
    return Paginator(items, settings.REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(request: HttpRequest) -> str:
    """The current filters, without paging or export format, for links that keep them."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    return fmt if fmt in WRITERS else ""


def home(request: HttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.select_related("coordinator", "parent")
        .annotate(member_total=Count("memberships"))
        .order_by("name")
    )
    # The page below its title is kept rendered for the data version (`{% cache %}`): the
    # figures and the map are read only to render it anew.
    figures = SimpleLazyObject(
        lambda: page_cache.cached("home", lambda: (registry_counts(), _members_map()))
    )
    return render(
        request,
        "home.html",
        {
            "counts": SimpleLazyObject(lambda: figures[0]),
            "partnerships": partnerships,
            "map": SimpleLazyObject(lambda: figures[1]),
            "data_version": page_cache.data_version(),
            "fragment_timeout": page_cache.TIMEOUT,
        },
    )


def _members_map():
    """Where the members are: organisations with a seat in a partnership or in a cluster."""
    ids = set(PartnershipMember.objects.values_list("organisation_id", flat=True))
    ids |= set(Membership.objects.values_list("organisation_id", flat=True))
    return map_data.organisations_map(_placed(ids))


def _placed(ids: set[int]) -> list[Organisation]:
    """The organisations of `ids` with what a map needs, in a stable order (by name): the
    order in which the dots of one region are spread."""
    return list(
        Organisation.objects.filter(pk__in=ids)
        .select_related("region")
        .only("name", "slug", "country", "region__code")
        .order_by("name", "pk")
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    criteria = OrganisationFilter.from_query(request.GET)
    if fmt := _export_format(request):
        return export_response("organisations", filter_organisations(criteria), fmt)
    as_map = request.GET.get("view") == "map"

    # The filters' choices and the results are kept rendered for the data as they are now
    # (`{% cache %}` keyed by the data version): what they read is computed only when the
    # fragment is rendered anew.
    def results():
        organisations = filter_organisations(criteria)
        page = _page(request, organisations)
        if criteria.text.strip():
            # What each found organisation does, around the words that matched.
            found = search_snippets(criteria.text, list(page))
            for organisation in page:
                organisation.search_snippet = found.get(organisation.pk, "")
        return page

    def organisation_map():
        # A click on the map lists a country or region with the other filters kept.
        others = dataclasses.replace(criteria, country="", region="").query_string()
        return map_data.organisations_map(filter_organisations(criteria), link_query=others)

    context = {
        "page": SimpleLazyObject(results),
        "criteria": criteria,
        "kinds": OrganisationKind.choices,
        "countries": SimpleLazyObject(
            lambda: [(c, country_name(c)) for c in sorted(countries_in_use(), key=country_name)]
        ),
        "taxonomies": Taxonomy.objects.prefetch_related("terms"),
        # Built from the criteria: links (export, pages) carry the current filters, once.
        "query_string": criteria.query_string(),
        "can_create": permissions.can_create_organisation(request.user),
        "can_import": permissions.can_import_organisations(request.user),
        "as_map": as_map,
        "query_without_region": dataclasses.replace(criteria, region="").query_string(),
        "map": SimpleLazyObject(organisation_map) if as_map else None,
        "region": SimpleLazyObject(lambda: Region.objects.filter(code=criteria.region).first())
        if criteria.region
        else None,
        "data_version": page_cache.data_version(),
        "fragment_timeout": page_cache.TIMEOUT,
    }
    template = (
        "registry/_organisation_results.html"
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
        else "registry/organisation_list.html"
    )
    return render(request, template, context)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("region"), slug=slug)
    return render(
        request, "registry/organisation_detail.html", _organisation_context(request, organisation)
    )


def _organisation_context(request: HttpRequest, organisation: Organisation, form=None) -> dict:
    can_edit = permissions.can_edit_organisation(request.user, organisation)
    positions = organisation.positions.select_related("person")
    return {
        "organisation": organisation,
        "competences": organisation.competences.select_related("term__taxonomy", "project"),
        "memberships": organisation.memberships.select_related("cluster"),
        "cluster_members": organisation.cluster_members.select_related("organisation"),
        # Read only when the fragments kept rendered for this data version are made anew.
        "map": SimpleLazyObject(
            lambda: (
                map_data.organisations_map(
                    Organisation.objects.filter(memberships__cluster=organisation).distinct()
                )
                if organisation.cluster_members.exists()
                else None
            )
        ),
        # Lazy too: the competence forms' answers render no kept fragment.
        "data_version": SimpleLazyObject(page_cache.data_version),
        "fragment_timeout": page_cache.TIMEOUT,
        "partnerships": organisation.partnership_memberships.select_related("partnership"),
        "participations": organisation.participations.select_related("project"),
        "labels": organisation.labels.all(),
        "identifiers": organisation.identifiers.all(),
        "people": [
            (p, permissions.can_see_contact_details(request.user, p.person)) for p in positions
        ],
        "can_edit": can_edit,
        "can_delete": permissions.can_delete_organisation(request.user, organisation),
        "proposal_options": relations.proposal_options(request.user, organisation),
        "may_invite": invitation_rules.may_invite(request.user, organisation),
        "may_ask_to_join": request.user.is_authenticated
        and not positions.filter(person__user=request.user).exists(),
        "competence_form": form
        or (CompetenceForm(organisation=organisation) if can_edit else None),
    }


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_organisation(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        organisation.slug = unique_slug(Organisation, organisation.name)
        organisation.save()
        messages.success(
            request, _("Organisation “%(name)s” created.") % {"name": organisation.name}
        )
        return redirect(organisation)
    return render(request, "registry/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(organisation)
    return render(
        request, "registry/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def organisation_delete(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_delete_organisation(request.user, organisation):
        raise PermissionDenied
    organisation.delete()
    messages.success(request, _("Organisation “%(name)s” deleted.") % {"name": organisation.name})
    return redirect("registry:organisations")


@login_required
@require_POST
def competence_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = CompetenceForm(request.POST, organisation=organisation)
    if form.is_valid():
        form.save()
        form = None
    context = _organisation_context(request, organisation, form)
    if request.headers.get("HX-Request"):
        return render(request, "registry/_competences.html", context)
    return (
        redirect(organisation)
        if form is None
        else render(request, "registry/organisation_detail.html", context)
    )


@login_required
@require_POST
def competence_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    get_object_or_404(Competence, pk=pk, organisation=organisation).delete()
    if request.headers.get("HX-Request"):
        return render(
            request, "registry/_competences.html", _organisation_context(request, organisation)
        )
    return redirect(organisation)


def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.select_related("coordinator", "parent")
        .annotate(member_total=Count("memberships"))
        .order_by("name")
    )
    if text := request.GET.get("q", "").strip()[:200]:
        partnerships = partnerships.filter(name__icontains=text)
    if fmt := _export_format(request):
        return export_response("partnerships", partnerships, fmt)
    return render(
        request,
        "registry/partnership_list.html",
        {
            "partnerships": partnerships,
            "query_string": _query_string(request),
            "page": _page(request, partnerships),
        },
    )


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.objects.select_related("coordinator", "parent"), slug=slug
    )
    taxonomies = list(Taxonomy.objects.all())
    taxonomy_code = request.GET.get("taxonomy", "effra")
    if taxonomy_code not in {t.code for t in taxonomies}:
        taxonomy_code = "effra"
    # The matrix's terms are named in the page's language: kept once per language. The page
    # below its title is kept rendered for the data version: read only to render it anew.
    figures = SimpleLazyObject(
        lambda: page_cache.cached(
            f"partnership-{partnership.pk}-{taxonomy_code}-{get_language()}",
            lambda: _partnership_figures(partnership, taxonomy_code),
        )
    )
    return render(
        request,
        "registry/partnership_detail.html",
        {
            "partnership": partnership,
            "members": partnership.memberships.select_related("organisation__region"),
            "children": partnership.children.all(),
            "regions": partnership.regions.all(),
            "map": SimpleLazyObject(lambda: figures[0]),
            "data_version": page_cache.data_version(),
            "fragment_timeout": page_cache.TIMEOUT,
            "matrix": SimpleLazyObject(lambda: figures[1]),
            "coverage": SimpleLazyObject(lambda: figures[2]),
            "taxonomies": taxonomies,
            "taxonomy_code": taxonomy_code,
            "can_edit": permissions.can_edit_partnership(request.user, partnership),
        },
    )


def _partnership_figures(partnership: Partnership, taxonomy_code: str) -> tuple:
    """The map of the members, the competence matrix and its coverage chart."""
    matrix = competence_matrix(partnership, taxonomy_code)
    return _partnership_map(partnership), matrix, coverage_chart(matrix)


def _partnership_map(partnership: Partnership):
    """Where the members of the partnership and the members of its clusters are."""
    ids = set(partnership.memberships.values_list("organisation_id", flat=True))
    ids |= set(
        Membership.objects.filter(
            cluster__partnership_memberships__partnership=partnership
        ).values_list("organisation_id", flat=True)
    )
    return map_data.organisations_map(
        _placed(ids),
        highlight=partnership.regions.values_list("code", flat=True),
        link_query=f"partnership={partnership.slug}",
    )


@login_required
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not permissions.can_edit_partnership(request.user, partnership):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, request.FILES or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(partnership)
    return render(
        request, "registry/partnership_form.html", {"form": form, "partnership": partnership}
    )


def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.annotate(participant_total=Count("participations"))
    if text := request.GET.get("q", "").strip()[:200]:
        projects = projects.filter(Q(acronym__icontains=text) | Q(title__icontains=text))
    if fmt := _export_format(request):
        return export_response("projects", projects, fmt)
    return render(
        request,
        "registry/project_list.html",
        {
            "page": _page(request, projects.order_by("acronym")),
            "query_string": _query_string(request),
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    return render(
        request,
        "registry/project_detail.html",
        {
            "project": project,
            "participations": project.participations.select_related("organisation"),
            "can_edit": permissions.can_edit_project(request.user, project),
        },
    )
