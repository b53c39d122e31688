"""The fixed vocabularies of muscles and equipment. The slugs are part of the library's
file format, so they live in a migration rather than in demo data."""

from django.db import migrations

MUSCLES = [
    ("glutes", "Glutes"),
    ("glute_medius", "Glute medius"),
    ("hamstrings", "Hamstrings"),
    ("quadriceps", "Quadriceps"),
    ("calves", "Calves"),
    ("soleus", "Soleus"),
    ("hip_flexors", "Hip flexors"),
    ("hip_abductors", "Hip abductors"),
    ("hip_adductors", "Hip adductors"),
    ("core", "Core"),
    ("obliques", "Obliques"),
    ("lower_back", "Lower back"),
    ("upper_back", "Upper back"),
    ("lats", "Lats"),
    ("chest", "Chest"),
    ("shoulders", "Shoulders"),
    ("biceps", "Biceps"),
    ("triceps", "Triceps"),
    ("forearms", "Forearms"),
    ("feet_ankles", "Feet and ankles"),
]

EQUIPMENT = [
    ("bodyweight", "Bodyweight"),
    ("band", "Resistance band"),
    ("dumbbell", "Dumbbell"),
    ("kettlebell", "Kettlebell"),
    ("barbell", "Barbell"),
    ("box", "Box / step"),
    ("bench", "Bench"),
    ("stability_ball", "Stability ball"),
    ("wobble_board", "Wobble board"),
    ("cable", "Cable"),
    ("machine", "Machine"),
    ("weight_vest", "Weight vest"),
    ("medicine_ball", "Medicine ball"),
    ("pull_up_bar", "Pull-up bar"),
    ("mat", "Mat"),
]


def add(apps, schema_editor):
    for model_name, rows in (("Muscle", MUSCLES), ("Equipment", EQUIPMENT)):
        model = apps.get_model("library", model_name)
        for order, (slug, label) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"label": label, "order": order})


def remove(apps, schema_editor):
    apps.get_model("library", "Muscle").objects.filter(slug__in=[s for s, _ in MUSCLES]).delete()
    apps.get_model("library", "Equipment").objects.filter(
        slug__in=[s for s, _ in EQUIPMENT]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_exercise_library")]

    operations = [migrations.RunPython(add, remove)]
