"""Notices of brokering, sent through the notifications module.

- An introduction is asked: the keepers of the need's profile who may answer it
  (`permissions.can_answer_introduction`: the owner's own editors and managers and the
  managers of the clusters it accepted as a member, never someone who also acts for the
  requester) get `introduction_request`.
- It is answered: the person who asked gets `introduction_answer`. The need and its owner
  are named only to someone who may now read them (`permissions.can_see_need`): a declined
  request names the need by its public reference only, so a confidential need never leaks.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from clusterbroker.notifications import kinds
from clusterbroker.notifications.service import notify
from clusterbroker.registry.models import Membership, Position

from . import permissions
from .models import Introduction, Need

EXCERPT = 300
OWN_ROLES = [Position.Role.EDITOR, Position.Role.MANAGER]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _users_with_positions(positions) -> list:
    ids = set(positions.values_list("person__user_id", flat=True)) - {None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def answerers(introduction: Introduction) -> list:
    """The users who may answer the introduction, as the rule of `can_answer_introduction`
    says: the owner's own editors and managers and the managers of the clusters it is an
    accepted member of; those who also act for the requester are left out. Platform admins
    may answer too, but are not told about every introduction."""
    owner_id = introduction.need.profile.organisation_id
    clusters = Membership.objects.filter(organisation_id=owner_id).values_list(
        "cluster_id", flat=True
    )
    keepers = Position.objects.filter(
        Q(organisation_id=owner_id, role__in=OWN_ROLES)
        | Q(
            organisation_id__in=list(clusters),
            organisation__kind="cluster",
            role=Position.Role.MANAGER,
        )
    )
    return [
        u
        for u in _users_with_positions(keepers)
        if permissions.can_answer_introduction(u, introduction)
    ]


def _need_line(need: Need) -> str:
    return _("%(kind)s need %(ref)s") % {"kind": need.get_kind_display(), "ref": need.ref}


def introduction_requested(introduction: Introduction, actor=None) -> int:
    need = introduction.need
    owner = need.profile.organisation

    def compose() -> tuple[str, str]:
        names = {"requester": introduction.requester.name, "need": _need_line(need)}
        lines = [
            _("%(requester)s asks to be introduced to %(owner)s about its %(need)s:")
            % {**names, "owner": owner.name},
            _excerpt(need.description),
        ]
        if introduction.message:
            lines += ["", _("Their message:"), introduction.message]
        lines += [
            "",
            _(
                "Until you accept, %(requester)s sees only an anonymised summary of the need. "
                "Accept or decline on the profile page."
            )
            % names,
        ]
        title = _("%(requester)s asks for an introduction to %(owner)s") % {
            **names,
            "owner": owner.name,
        }
        return title, "\n".join(lines)

    return notify(
        answerers(introduction),
        kinds.INTRODUCTION_REQUEST,
        compose=compose,
        url=need.profile.get_absolute_url(),
        actor=actor,
    )


def _requesters(introduction: Introduction) -> list:
    """Who asked: the user who sent the request while they still act for the requester;
    otherwise the requester's own editors and managers."""
    asked = introduction.requested_by
    if (
        asked is not None
        and asked.is_active
        and introduction.requester_id in permissions.own_organisation_ids(asked)
    ):
        return [asked]
    return _users_with_positions(
        Position.objects.filter(organisation_id=introduction.requester_id, role__in=OWN_ROLES)
    )


def introduction_answered(introduction: Introduction, actor=None) -> int:
    need = introduction.need
    accepted = introduction.status == Introduction.Status.ACCEPTED
    names = {"need": _need_line(need), "requester": introduction.requester.name}
    notified = 0
    for user in _requesters(introduction):

        def compose(user=user) -> tuple[str, str]:
            if accepted and permissions.can_see_need(user, need):
                owner = need.profile.organisation.name
                title = _("%(owner)s accepted your introduction about its %(need)s") % {
                    **names,
                    "owner": owner,
                }
                body = "\n".join(
                    [
                        _(
                            "%(owner)s accepted to be introduced to %(requester)s. You can now "
                            "read its %(need)s and contact it:"
                        )
                        % {**names, "owner": owner},
                        _excerpt(need.description),
                    ]
                )
            elif accepted:  # accepted, but this person may not read the need: it stays anonymous
                title = _("Your introduction request about %(need)s was answered") % names
                body = _("The owner of %(need)s answered the request of %(requester)s.") % names
            else:
                title = _("Your introduction request about %(need)s was declined") % names
                body = (
                    _(
                        "The owner of %(need)s declined the request of %(requester)s; the need "
                        "stays anonymous."
                    )
                    % names
                )
            return title, body

        notified += notify(
            [user],
            kinds.INTRODUCTION_ANSWER,
            compose=compose,
            url=need.get_absolute_url(),
            actor=actor,
        )
    return notified
