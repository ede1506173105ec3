"""Who may do what with a survey: one function per rule, used by pages and the API alike.

- the owner's managers (a partnership's managers, or a cluster's managers) and platform
  admins edit the survey, see who answered and read every answer;
- the own people (editors and managers) of an organisation asked edit its one response
  while the survey is open, and read it at any time;
- nobody else answers, and nobody else sees an answer or the results;
- a partnership's survey results become actions of its plan at the hands of the
  partnership's managers (and platform admins) only.
"""

import datetime as dt

from clusterbroker.plans.permissions import can_manage_plan
from clusterbroker.registry.models import Organisation, Partnership, Position
from clusterbroker.registry.permissions import (
    is_platform_admin,
    managed_partnership_ids,
    own_organisation_ids,
)

from .models import Response, Survey


def managed_cluster_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Position.objects.filter(
            person__user=user, role=Position.Role.MANAGER, organisation__kind="cluster"
        ).values_list("organisation_id", flat=True)
    )


def can_manage_survey(user, survey: Survey) -> bool:
    if is_platform_admin(user):
        return True
    if survey.partnership_id is not None:
        return survey.partnership_id in managed_partnership_ids(user)
    return survey.cluster_id in managed_cluster_ids(user)


def can_create_survey_for(user, owner: Partnership | Organisation) -> bool:
    if is_platform_admin(user):
        return True
    if isinstance(owner, Partnership):
        return owner.pk in managed_partnership_ids(user)
    return owner.pk in managed_cluster_ids(user)


def answering_organisation_ids(user, survey: Survey) -> set[int]:
    """The organisations asked by the survey that the user acts for in their own right."""
    own = own_organisation_ids(user)
    if not own:
        return set()
    return set(
        survey.invitations.filter(organisation_id__in=own).values_list("organisation_id", flat=True)
    )


def can_answer(user, survey: Survey, organisation: Organisation, today: dt.date) -> bool:
    return survey.is_open(today) and organisation.pk in answering_organisation_ids(user, survey)


def can_see_survey(user, survey: Survey) -> bool:
    return can_manage_survey(user, survey) or bool(answering_organisation_ids(user, survey))


def can_see_response(user, response: Response) -> bool:
    if can_manage_survey(user, response.survey):
        return True
    return response.organisation_id in own_organisation_ids(user)


def can_see_results(user, survey: Survey) -> bool:
    return can_manage_survey(user, survey)


def can_plan_from_results(user, survey: Survey) -> bool:
    """Whether the user may turn the survey's results into actions of the partnership's plan."""
    if survey.partnership_id is None:
        return False
    return can_manage_survey(user, survey) and can_manage_plan(user, survey.partnership)
