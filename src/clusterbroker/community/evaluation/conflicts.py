"""The conflict-of-interest rule.

No one evaluates an application who:

- submitted it;
- holds a position (any role) in the applicant organisation;
- holds a position in an organisation sharing a cluster with the applicant: the clusters the
  applicant is a member of (or the applicant itself, when it is a cluster) and every member
  of those clusters;
- holds a position in an organisation sharing a partnership with the applicant (its fellow
  members and the partnership's coordinator), or has a role in such a partnership (its
  managers and representatives);
- holds a position in a project partner of the applicant: an organisation taking part in any
  project the applicant takes part in, and in the application's own project.

The rule reads the relation tables, which hold accepted relations only (a proposal waiting for
consent grants nothing and creates no conflict). It is checked when an evaluator is assigned and
again whenever they score, and before the consensus and the decision: a relation formed after
the assignment excludes the evaluator too.
"""

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import (
    Membership,
    Organisation,
    Participation,
    PartnershipMember,
    PartnershipRole,
    Person,
    Position,
)

from .. import permissions
from ..models import Application

SUBMITTER = _("submitted this application")
APPLICANT = _("holds a position in the applicant organisation")
CLUSTER = _("holds a position in an organisation that shares a cluster with the applicant")
PARTNER = _("holds a position in an organisation that shares a partnership with the applicant")
PARTNERSHIP_ROLE = _("has a role in a partnership the applicant belongs to")
PROJECT_PARTNER = _("holds a position in a project partner of the applicant")


def evaluator_organisation_ids(user) -> set[int]:
    """Organisations the user holds a position in, whatever its role."""
    return set(Position.objects.filter(person__user=user).values_list("organisation_id", flat=True))


def cluster_organisation_ids(applicant_id: int) -> set[int]:
    """The applicant's clusters (and the applicant, when it has members) with all their
    members."""
    clusters = set(
        Membership.objects.filter(organisation_id=applicant_id).values_list("cluster_id", flat=True)
    )
    clusters.add(applicant_id)
    members = Membership.objects.filter(cluster_id__in=clusters).values_list(
        "organisation_id", flat=True
    )
    return clusters | set(members)


def partnership_ids(applicant_id: int) -> set[int]:
    return set(
        PartnershipMember.objects.filter(organisation_id=applicant_id).values_list(
            "partnership_id", flat=True
        )
    )


def partner_organisation_ids(partnerships: set[int]) -> set[int]:
    """The members and coordinators of the partnerships."""
    return set(
        Organisation.objects.filter(
            Q(partnership_memberships__partnership_id__in=partnerships)
            | Q(coordinated_partnerships__id__in=partnerships)
        ).values_list("id", flat=True)
    )


def project_partner_ids(application: Application) -> set[int]:
    """Everyone taking part in a project with the applicant, and in the application's
    project."""
    projects = set(
        Participation.objects.filter(organisation_id=application.organisation_id).values_list(
            "project_id", flat=True
        )
    )
    if application.project_id:
        projects.add(application.project_id)
    return set(
        Participation.objects.filter(project_id__in=projects).values_list(
            "organisation_id", flat=True
        )
    )


def conflicting_organisation_ids(application: Application) -> set[int]:
    """Every organisation whose people may not evaluate the application."""
    applicant = application.organisation_id
    return (
        {applicant}
        | cluster_organisation_ids(applicant)
        | partner_organisation_ids(partnership_ids(applicant))
        | project_partner_ids(application)
    )


def conflict_reason(user, application: Application) -> Promise | None:
    """Why `user` may not evaluate `application` (the first reason found), or None."""
    if user is None or user.pk is None:
        return None
    if application.submitted_by_id == user.pk:
        return SUBMITTER
    own = evaluator_organisation_ids(user)
    applicant = application.organisation_id
    if applicant in own:
        return APPLICANT
    if own & cluster_organisation_ids(applicant):
        return CLUSTER
    partnerships = partnership_ids(applicant)
    if own & partner_organisation_ids(partnerships):
        return PARTNER
    if PartnershipRole.objects.filter(person__user=user, partnership_id__in=partnerships).exists():
        return PARTNERSHIP_ROLE
    if own & project_partner_ids(application):
        return PROJECT_PARTNER
    return None


def has_conflict(user, application: Application) -> bool:
    return conflict_reason(user, application) is not None


def reason_visible_to(manager, evaluator, application: Application) -> bool:
    """Whether a call's manager may be told why `evaluator` is in conflict of interest.

    Naming the reason tells that the login exists and how its owner is related to the
    applicant; it is said only to a manager who already knows that person here: the
    application's submitter (its managers see who submitted it), an evaluator already
    assigned to it, someone whose contact details the manager sees (they share a partnership),
    and anyone for community managers and platform admins, who see every person. Others get
    the answer an unknown login gets.
    """
    if evaluator.pk == application.submitted_by_id:
        return True
    if permissions.is_community_manager(manager):
        return True
    if application.assignments.filter(evaluator=evaluator).exists():
        return True
    person = Person.objects.filter(user=evaluator).first()
    return person is not None and registry_permissions.can_see_contact_details(manager, person)
