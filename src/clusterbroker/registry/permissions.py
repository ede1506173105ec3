"""Who may see and change what in the registry: one function per rule.

Pages and the API call these same functions, so a rule is enforced once. The delegation
model behind them is written down in docs/permissions.md: an organisation is acted for by
its own editors, and by others only through a relation it accepted. The relation tables
(memberships, partnership seats, participations) hold accepted relations only; proposals
wait in `RelationRequest` and grant nothing (see `relations.py`).

- platform admin (superuser): everything;
- partnership manager: edits the partnership, its members' records and competences;
- cluster manager (a `manager` position in a cluster organisation): edits the
  cluster and its members' records and competences;
- company user (an `editor` position): edits their own organisation;
- anyone, logged in or not: reads public fields; contact details of people are
  shown only to logged-in users with a role in the same partnership.
"""

from django.db.models import Q

from .models import Organisation, Partnership, PartnershipRole, Person, Position


def _person(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def managed_partnership_ids(user) -> set[int]:
    """Partnerships the user manages."""
    person = _person(user)
    if person is None:
        return set()
    return set(
        PartnershipRole.objects.filter(
            person=person, role=PartnershipRole.Role.MANAGER
        ).values_list("partnership_id", flat=True)
    )


def own_organisation_ids(user) -> set[int]:
    """Organisations where the user holds an editor or manager position: they act for these
    in their own right (and only they, with admins, consent to relations for them)."""
    person = _person(user)
    if person is None:
        return set()
    return set(
        Position.objects.filter(
            person=person, role__in=[Position.Role.EDITOR, Position.Role.MANAGER]
        ).values_list("organisation_id", flat=True)
    )


def editable_organisation_ids(user) -> set[int]:
    """Organisations whose records the user may change (not for admins: they change all)."""
    person = _person(user)
    if person is None:
        return set()
    own = Position.objects.filter(
        person=person, role__in=[Position.Role.EDITOR, Position.Role.MANAGER]
    ).values_list("organisation_id", flat=True)
    managed_clusters = Position.objects.filter(
        person=person, role=Position.Role.MANAGER, organisation__kind="cluster"
    ).values_list("organisation_id", flat=True)
    in_managed = Organisation.objects.filter(
        Q(partnership_memberships__partnership_id__in=managed_partnership_ids(user))
        | Q(memberships__cluster_id__in=list(managed_clusters))
    ).values_list("id", flat=True)
    return set(own) | set(in_managed)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_platform_admin(user) or organisation.pk in editable_organisation_ids(user)


def can_create_organisation(user) -> bool:
    """Admins and managers (of a partnership or a cluster) add organisations."""
    if is_platform_admin(user):
        return True
    person = _person(user)
    if person is None:
        return False
    return (
        bool(managed_partnership_ids(user))
        or Position.objects.filter(person=person, role=Position.Role.MANAGER).exists()
    )


def can_import_organisations(user) -> bool:
    return can_create_organisation(user)


def can_delete_organisation(user, organisation: Organisation) -> bool:
    """Deleting removes an organisation's history for everyone: admins only."""
    return is_platform_admin(user)


def can_edit_partnership(user, partnership: Partnership) -> bool:
    return is_platform_admin(user) or partnership.pk in managed_partnership_ids(user)


def can_create_partnership(user) -> bool:
    return is_platform_admin(user)


def can_edit_project(user, project) -> bool:
    """A project is changed by admins and by those who may edit its coordinator (a participant
    is not its coordinator's keeper: joining a project gives no right over it)."""
    if is_platform_admin(user):
        return True
    editable = editable_organisation_ids(user)
    return any(
        p.organisation_id in editable and p.role == "coordinator"
        for p in project.participations.all()
    )


def partnership_ids_of_user(user) -> set[int]:
    """Partnerships the user has a role in, directly or through their organisations."""
    person = _person(user)
    if person is None:
        return set()
    return partnership_ids_of_person(person)


def partnership_ids_of_person(person: Person) -> set[int]:
    direct = PartnershipRole.objects.filter(person=person).values_list("partnership_id", flat=True)
    through_organisations = Partnership.objects.filter(
        memberships__organisation__positions__person=person
    ).values_list("id", flat=True)
    return set(direct) | set(through_organisations)


def can_see_contact_details(user, person: Person) -> bool:
    """E-mail and phone: the person, admins, and users sharing a partnership with them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_platform_admin(user) or person.user_id == user.pk:
        return True
    return bool(partnership_ids_of_user(user) & partnership_ids_of_person(person))
