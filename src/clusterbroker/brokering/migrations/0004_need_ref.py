"""Needs get a random public reference (`ref`): step 1, the column, empty for now."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("brokering", "0003_introduction_answered_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalneed",
            name="ref",
            field=models.CharField(
                db_index=True, editable=False, max_length=12, null=True, verbose_name="reference"
            ),
        ),
        migrations.AddField(
            model_name="need",
            name="ref",
            field=models.CharField(
                editable=False, max_length=12, null=True, verbose_name="reference"
            ),
        ),
    ]
