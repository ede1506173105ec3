"""Who may see and change a partnership's management: one function per rule.

- partnership managers (and platform admins) edit the action plan, KPIs, strategy and
  publication settings;
- members (anyone with a role in the partnership, directly or through a member
  organisation) read all of it, including the evidence behind hand-entered values;
- the public reads only the sections the partnership marks public, never evidence;
- a cluster's roadmap questionnaire is answered by whoever may edit the cluster and read
  by them and by members of the partnerships the cluster belongs to.
"""

from typing import Literal

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Organisation, Partnership

from .models import PlanVisibility

Section = Literal["action_plan", "kpis", "strategy", "report"]
SECTIONS: tuple[Section, ...] = ("action_plan", "kpis", "strategy", "report")


def visibility_of(partnership: Partnership) -> PlanVisibility:
    """The partnership's publication settings; nothing is public until it says so."""
    found = PlanVisibility.objects.filter(partnership=partnership).first()
    return found or PlanVisibility(partnership=partnership)


def can_manage_plan(user, partnership: Partnership) -> bool:
    return registry_permissions.can_edit_partnership(user, partnership)


def is_member(user, partnership: Partnership) -> bool:
    return registry_permissions.is_platform_admin(user) or (
        partnership.pk in registry_permissions.partnership_ids_of_user(user)
    )


def can_view_section(user, partnership: Partnership, section: Section) -> bool:
    if can_manage_plan(user, partnership) or is_member(user, partnership):
        return True
    return bool(getattr(visibility_of(partnership), section))


def visible_sections(user, partnership: Partnership) -> set[str]:
    return {s for s in SECTIONS if can_view_section(user, partnership, s)}


def can_view_evidence(user, partnership: Partnership) -> bool:
    """Evidence documents may hold contracts or names: members only, never the public."""
    return can_manage_plan(user, partnership) or is_member(user, partnership)


def can_edit_roadmap(user, cluster: Organisation) -> bool:
    return registry_permissions.can_edit_organisation(user, cluster)


def can_view_roadmap(user, cluster: Organisation) -> bool:
    if can_edit_roadmap(user, cluster):
        return True
    partnerships = set(cluster.partnership_memberships.values_list("partnership_id", flat=True))
    return bool(partnerships & registry_permissions.partnership_ids_of_user(user))
