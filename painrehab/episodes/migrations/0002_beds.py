"""The unit's beds: PAINREHAB_BEDS of them (12 by default)."""

from django.conf import settings
from django.db import migrations


def create_beds(apps, schema_editor):
    Bed = apps.get_model("episodes", "Bed")
    for number in range(1, settings.PROGRAM_BEDS + 1):
        Bed.objects.get_or_create(number=number, defaults={"label": f"Bed {number}"})


class Migration(migrations.Migration):
    dependencies = [("episodes", "0001_initial")]

    operations = [migrations.RunPython(create_beds, migrations.RunPython.noop)]
