"""An exercise's demonstration: an uploaded image or video beside its link, and links
https only. Links stored before as http:// become https:// (they are shown as plain links;
video sites answer on https), so that every stored row passes the new validation."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr

import library.demos


def links_to_https(apps, schema_editor):
    exercise = apps.get_model("library", "Exercise")
    # A link at the column's length (200) could not take the extra letter; it stays, and
    # its exercise's form says to fix it.
    exercise.objects.alias(length=Length("demo_url")).filter(
        demo_url__istartswith="http://", length__lt=200
    ).update(demo_url=Concat(Value("https://"), Substr("demo_url", len("http://") + 1)))


class Migration(migrations.Migration):
    dependencies = [("library", "0002_vocabularies")]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="demo_file",
            field=models.FileField(
                blank=True,
                help_text=(
                    "A JPEG, PNG or WebP image up to 5 MB, or an MP4 or WebM video up to 25 MB."
                ),
                max_length=200,
                upload_to=library.demos.demo_upload_to,
                validators=[library.demos.validate_demo_file],
                verbose_name="demonstration file",
            ),
        ),
        migrations.AlterField(
            model_name="exercise",
            name="demo_url",
            field=models.URLField(
                blank=True,
                help_text="An https:// link, e.g. a YouTube or Vimeo video. Shown as a link.",
                validators=[library.demos.validate_https_url],
                verbose_name="demo link",
            ),
        ),
        migrations.RunPython(links_to_https, migrations.RunPython.noop),
    ]
