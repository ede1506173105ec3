"""The conflict-of-interest rule.

No one evaluates an application when they hold a position in the applicant organisation or
in an organisation that shares a partnership (cluster partnership, consortium …) or the
application's project with it.
"""

from clusterbroker.registry.models import Organisation, PartnershipMember, Position

from ..models import Application


def evaluator_organisation_ids(user) -> set[int]:
    """Organisations the user holds a position in."""
    return set(Position.objects.filter(person__user=user).values_list("organisation_id", flat=True))


def conflicting_organisation_ids(application: Application) -> set[int]:
    """The applicant, its partners in any partnership, and its project's participants."""
    applicant = application.organisation_id
    partnerships = PartnershipMember.objects.filter(organisation_id=applicant).values_list(
        "partnership_id", flat=True
    )
    partners = PartnershipMember.objects.filter(partnership_id__in=list(partnerships)).values_list(
        "organisation_id", flat=True
    )
    ids = {applicant, *partners}
    if application.project_id:
        ids |= set(
            Organisation.objects.filter(
                participations__project_id=application.project_id
            ).values_list("id", flat=True)
        )
    return ids


def has_conflict(user, application: Application) -> bool:
    return bool(evaluator_organisation_ids(user) & conflicting_organisation_ids(application))
