"""Open calls, marketplace offers and stories know the language of their text: detected on
every save until the author chooses it. Existing items get theirs detected here."""

from django.db import migrations, models

# The fields each model's text is in (as `language_fields` says at the time of writing).
TEXTS = [
    ("OpenCall", ("title", "description")),
    ("Offer", ("title", "description")),
    ("Story", ("title", "summary", "challenge", "solution", "results", "impact")),
]


def detect_languages(apps, schema_editor) -> None:
    from clusterbroker.text.models import fill_languages

    for model, fields in TEXTS:
        fill_languages(apps.get_model("community", model), fields)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0009_search_languages"),
    ]

    operations = [
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
            model_name="historicalopencall",
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
            model_name="historicalopencall",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="historicalstory",
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
            model_name="historicalstory",
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
        migrations.AddField(
            model_name="opencall",
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
            model_name="opencall",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="story",
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
            model_name="story",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
    ]
