"""Needs get a random public reference (`ref`): step 3, required and unique."""

from django.db import migrations, models

import clusterbroker.brokering.models.profiles


class Migration(migrations.Migration):
    dependencies = [
        ("brokering", "0005_fill_need_refs"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalneed",
            name="ref",
            field=models.CharField(
                db_index=True,
                default=clusterbroker.brokering.models.profiles.new_need_ref,
                editable=False,
                max_length=12,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="need",
            name="ref",
            field=models.CharField(
                default=clusterbroker.brokering.models.profiles.new_need_ref,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
