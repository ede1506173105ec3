"""Accounts made before sign-up existed were made by platform admins, with the address the
admin typed (on the user, or else on the user's person). Log-in now needs a verified
address: those addresses are recorded as verified, so that nobody is locked out."""

from django.conf import settings
from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    Person = apps.get_model("registry", "Person")
    taken = {e.lower() for e in EmailAddress.objects.values_list("email", flat=True)}
    with_address = set(EmailAddress.objects.values_list("user_id", flat=True))
    for user in User.objects.filter(is_active=True).exclude(pk__in=with_address).iterator():
        email = (user.email or "").strip()
        if not email:
            person = Person.objects.filter(user_id=user.pk).exclude(email="").first()
            email = person.email.strip() if person else ""
        if not email or email.lower() in taken:
            continue
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        taken.add(email.lower())
        if not user.email:
            user.email = email
            user.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("registry", "0005_hubcatalogueentry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop),
    ]
