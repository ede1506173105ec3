"""Demo logins for a local try-out: one per role, attached to the sample data."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Organisation, Partnership, PartnershipRole, Person, Position


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_PASSWORD = "demo-password"


@transaction.atomic
def create_demo_users() -> list[DemoLogin]:
    """Create (or reset) the demo accounts; needs the sample data to be loaded."""
    User = get_user_model()
    logins = []

    def account(username: str, first: str, last: str, role: str, **flags) -> Person:
        user, _ = User.objects.get_or_create(username=username, defaults=flags)
        for key, value in flags.items():
            setattr(user, key, value)
        user.set_password(DEMO_PASSWORD)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.org"
        user.save()
        # Log-in needs a verified address: the demo's is verified already.
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        person, _ = Person.objects.update_or_create(
            user=user,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "phone": "+32 2 000 00 00",
            },
        )
        logins.append(DemoLogin(username, DEMO_PASSWORD, role))
        return person

    # Platform admins must use two-factor authentication where MFA_REQUIRED_FOR_ADMINS is on
    # (production); in development it is off unless turned on, and the demo says which.
    if getattr(settings, "MFA_REQUIRED_FOR_ADMINS", False):
        admin_role = "platform admin (sets up two-factor authentication at the first log-in)"
    else:
        admin_role = "platform admin (two-factor optional here, required in production)"
    account("admin", "Ada", "Admin", admin_role, is_staff=True, is_superuser=True)
    partnership = Partnership.objects.filter(slug="four-motors").first()
    if partnership is not None:
        manager = account("manager", "Marie", "Manager", f"manager of {partnership.name}")
        PartnershipRole.objects.get_or_create(
            person=manager, partnership=partnership, role=PartnershipRole.Role.MANAGER
        )
    # A labelled SME of the CloudiFacturing consortium, when the sample data is there.
    company = (
        Organisation.objects.filter(slug="hanning").first()
        or Organisation.objects.filter(kind="company").order_by("name").first()
    )
    if company is not None:
        editor = account("company", "Carl", "Company", f"editor of {company.name}")
        Position.objects.update_or_create(
            person=editor, organisation=company, defaults={"role": Position.Role.EDITOR}
        )
    return logins
