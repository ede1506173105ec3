"""Needs get a random public reference (`ref`): step 2, a new random one for every existing
need (nothing in it follows the order the needs were made in), the same in its history."""

import secrets

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_ref(taken: set[str]) -> str:
    while True:
        ref = "N-" + "".join(secrets.choice(ALPHABET) for _ in range(10))
        if ref not in taken:
            taken.add(ref)
            return ref


def fill_refs(apps, schema_editor) -> None:
    Need = apps.get_model("brokering", "Need")
    HistoricalNeed = apps.get_model("brokering", "HistoricalNeed")
    taken = set(Need.objects.exclude(ref=None).values_list("ref", flat=True))
    for pk in list(Need.objects.filter(ref=None).values_list("pk", flat=True)):
        ref = _new_ref(taken)
        Need.objects.filter(pk=pk).update(ref=ref)
        HistoricalNeed.objects.filter(id=pk).update(ref=ref)
    # The history of needs deleted since: one ref for each of them too.
    deleted = HistoricalNeed.objects.filter(ref=None).order_by().values_list("id", flat=True)
    for pk in sorted(set(deleted)):
        HistoricalNeed.objects.filter(id=pk).update(ref=_new_ref(taken))


class Migration(migrations.Migration):
    dependencies = [
        ("brokering", "0004_need_ref"),
    ]

    operations = [
        migrations.RunPython(fill_refs, migrations.RunPython.noop),
    ]
