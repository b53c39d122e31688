# The run calendar moved to programs (it belongs with the training it is checked against,
# and athletes may not depend on programs). Only Django's state changes: the table
# athletes_run, its rows, indexes and constraints stay where they are; programs 0006
# takes the model over with db_table="athletes_run".

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('athletes', '0005_groups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name='run', name='athletes_ru_athlete_206b49_idx'),
                migrations.RemoveConstraint(model_name='run', name='run_external_id_unique_per_athlete'),
                migrations.RemoveConstraint(model_name='run', name='run_priority_only_for_races'),
                migrations.RemoveConstraint(model_name='run', name='run_distance_at_most_1000_km'),
                migrations.RemoveConstraint(model_name='run', name='run_duration_at_most_a_week'),
                migrations.DeleteModel(name='Run'),
            ],
            database_operations=[],
        ),
    ]
