# Run moves here from athletes with its table (db_table="athletes_run"): the state takes
# the model over, the database keeps the table and its rows untouched. The content type
# (and so the permissions tied to it) moves with it, both ways.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def content_type_to(app_label: str, other: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=app_label, model="run").exists():
            ContentType.objects.filter(app_label=other, model="run").update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('athletes', '0006_run_moved_to_programs'),
        ('programs', '0005_flag_ids_may_be_empty'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Run',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('start_time', models.TimeField(blank=True, null=True, verbose_name='start time')),
                        ('run_type', models.CharField(choices=[('easy', 'Easy'), ('recovery', 'Recovery'), ('long', 'Long run'), ('tempo', 'Tempo'), ('intervals', 'Intervals'), ('hills', 'Hills'), ('fartlek', 'Fartlek'), ('race', 'Race'), ('cross_training', 'Cross-training'), ('rest', 'Rest')], max_length=16, verbose_name='type')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('distance_m', models.PositiveIntegerField(blank=True, null=True, verbose_name='distance (m)')),
                        ('duration_s', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (s)')),
                        ('actual_distance_m', models.PositiveIntegerField(blank=True, null=True, verbose_name='actual distance (m)')),
                        ('actual_duration_s', models.PositiveIntegerField(blank=True, null=True, verbose_name='actual time (s)')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('race_priority', models.CharField(blank=True, choices=[('A', 'A race (the goal)'), ('B', 'B race'), ('C', 'C race (training)')], max_length=1, verbose_name='race priority')),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('done', 'Done'), ('skipped', 'Skipped')], default='planned', max_length=8, verbose_name='status')),
                        ('source', models.CharField(choices=[('manual', 'Added by hand'), ('import', 'Imported')], default='manual', max_length=8)),
                        ('external_id', models.CharField(blank=True, max_length=255)),
                        ('imported_checksum', models.CharField(blank=True, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('athlete', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='athletes.athleteprofile')),
                    ],
                    options={
                        'db_table': 'athletes_run',
                        'ordering': ['date', 'start_time', 'pk'],
                        'indexes': [models.Index(fields=['athlete', 'date'], name='athletes_ru_athlete_206b49_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('athlete', 'external_id'), name='run_external_id_unique_per_athlete'), models.CheckConstraint(condition=models.Q(('race_priority', ''), ('run_type', 'race'), _connector='OR'), name='run_priority_only_for_races', violation_error_message='Only a race has a priority.'), models.CheckConstraint(condition=models.Q(('distance_m__isnull', True), ('distance_m__lte', 1000000), _connector='OR'), name='run_distance_at_most_1000_km'), models.CheckConstraint(condition=models.Q(('duration_s__isnull', True), ('duration_s__lte', 604800), _connector='OR'), name='run_duration_at_most_a_week')],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    content_type_to("programs", "athletes"), content_type_to("athletes", "programs")
                ),
            ],
        ),
    ]
