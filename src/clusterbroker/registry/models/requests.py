from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .partnerships import Membership, Partnership, PartnershipMember
from .projects import Participation, Project


class RelationRequest(models.Model):
    """A relation proposed by one side and waiting for the other side's consent.

    The relation tables (memberships, partnership seats, participations) hold only relations
    that both sides accepted; a proposal lives here until the other side answers it, and
    grants nothing meanwhile. `awaiting` names the side that must answer: the joining
    organisation's own editors, or the counterpart (the cluster's own managers, the
    partnership's managers, the project's coordinator).
    """

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Cluster membership")
        PARTNERSHIP_MEMBER = "partnership_member", _("Partnership seat")
        PARTICIPATION = "participation", _("Project participation")

    class Side(models.TextChoices):
        ORGANISATION = "organisation", _("The organisation")
        COUNTERPART = "counterpart", _("The cluster, partnership or project")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="relation_requests",
    )
    cluster = models.ForeignKey(
        Organisation,
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cluster_relation_requests",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relation_requests",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relation_requests",
    )
    role = models.CharField(_("role"), max_length=20)
    since = models.DateField(_("since"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    awaiting = models.CharField(_("awaiting"), max_length=20, choices=Side.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relation_requests_made",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relation_requests_answered",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relation request")
        verbose_name_plural = _("relation requests")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation} → {self.counterpart}"

    @property
    def role_label(self) -> str:
        """The role in words, as the relation's own choices name it."""
        model = {
            self.Kind.MEMBERSHIP: Membership,
            self.Kind.PARTNERSHIP_MEMBER: PartnershipMember,
            self.Kind.PARTICIPATION: Participation,
        }[self.kind]
        return str(dict(model.Role.choices).get(self.role, self.role))

    @property
    def counterpart(self) -> Organisation | Partnership | Project | None:
        return {
            self.Kind.MEMBERSHIP: self.cluster,
            self.Kind.PARTNERSHIP_MEMBER: self.partnership,
            self.Kind.PARTICIPATION: self.project,
        }[self.kind]
