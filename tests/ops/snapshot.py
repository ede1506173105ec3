"""Every record and every relation of the database, read straight from the tables."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

# Made by migrate, not backed up; rows pointing at them are compared by natural key.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def snapshot() -> dict[str, set[tuple]]:
    """For every table (models and many-to-many tables): the set of its rows."""
    natural = {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {
            p.pk: p.natural_key() for p in Permission.objects.select_related("content_type")
        },
    }
    tables: dict[str, set[tuple]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in EXCLUDED:
            continue
        fields = meta.concrete_fields
        if meta.auto_created:  # a many-to-many table: the relation, not the row's own id
            fields = [f for f in fields if not f.primary_key]
        rows = model._base_manager.values_list(*[f.attname for f in fields])
        tables[meta.label_lower] = {
            tuple(
                natural[f.related_model].get(v, v) if f.related_model in natural else _plain(v)
                for f, v in zip(fields, row, strict=True)
            )
            for row in rows
        }
    return tables


def _plain(value):
    return repr(value) if isinstance(value, list | dict) else value
