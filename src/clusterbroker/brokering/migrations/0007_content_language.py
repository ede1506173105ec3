"""Brokering offers and needs know the language of their text: detected on every save until
the author chooses it. Existing ones get theirs detected here."""

from django.db import migrations, models

# The fields each model's text is in (as `language_fields` says at the time of writing).
TEXTS = [
    ("Offer", ("title", "description")),
    ("Need", ("description",)),
]


def detect_languages(apps, schema_editor) -> None:
    from clusterbroker.text.models import fill_languages

    for model, fields in TEXTS:
        fill_languages(apps.get_model("brokering", model), fields)


class Migration(migrations.Migration):
    dependencies = [
        ("brokering", "0006_need_ref_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalneed",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en", "English"),
                    ("fr", "French"),
                    ("de", "German"),
                    ("it", "Italian"),
                    ("es", "Spanish"),
                    ("ca", "Catalan"),
                    ("pt", "Portuguese"),
                    ("ro", "Romanian"),
                    ("nl", "Dutch"),
                    ("fi", "Finnish"),
                    ("et", "Estonian"),
                ],
                db_default="",
                default="",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        migrations.AddField(
            model_name="historicalneed",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="historicaloffer",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en", "English"),
                    ("fr", "French"),
                    ("de", "German"),
                    ("it", "Italian"),
                    ("es", "Spanish"),
                    ("ca", "Catalan"),
                    ("pt", "Portuguese"),
                    ("ro", "Romanian"),
                    ("nl", "Dutch"),
                    ("fi", "Finnish"),
                    ("et", "Estonian"),
                ],
                db_default="",
                default="",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        migrations.AddField(
            model_name="historicaloffer",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="need",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en", "English"),
                    ("fr", "French"),
                    ("de", "German"),
                    ("it", "Italian"),
                    ("es", "Spanish"),
                    ("ca", "Catalan"),
                    ("pt", "Portuguese"),
                    ("ro", "Romanian"),
                    ("nl", "Dutch"),
                    ("fi", "Finnish"),
                    ("et", "Estonian"),
                ],
                db_default="",
                default="",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        migrations.AddField(
            model_name="need",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="offer",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en", "English"),
                    ("fr", "French"),
                    ("de", "German"),
                    ("it", "Italian"),
                    ("es", "Spanish"),
                    ("ca", "Catalan"),
                    ("pt", "Portuguese"),
                    ("ro", "Romanian"),
                    ("nl", "Dutch"),
                    ("fi", "Finnish"),
                    ("et", "Estonian"),
                ],
                db_default="",
                default="",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        migrations.AddField(
            model_name="offer",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
    ]
