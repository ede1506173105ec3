"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest id a database stores


class RecordsField(forms.ModelMultipleChoiceField):
    """A choice of several records by id that refuses an id no database can hold
    (`10**25`, `²`) as an invalid choice, where the plain field fails on SQLite."""

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                text = str(pk).strip()
                if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:40]},
                    )
        return super()._check_values(value)
