"""Organisations know the language of their description: detected from the text on every
save until someone chooses it. Existing organisations get theirs detected here."""

from django.db import migrations, models

# The fields each model's text is in (as `language_fields` says at the time of writing).
TEXTS = [
    ("Organisation", ("description", "main_thematic")),
]


def detect_languages(apps, schema_editor) -> None:
    from clusterbroker.text.models import fill_languages

    for model, fields in TEXTS:
        fill_languages(apps.get_model("registry", model), fields)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_taxonomy_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganisation",
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
            model_name="historicalorganisation",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
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
            model_name="organisation",
            name="language_detected",
            field=models.BooleanField(
                db_default=True, default=True, verbose_name="language detected from the text"
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
    ]
