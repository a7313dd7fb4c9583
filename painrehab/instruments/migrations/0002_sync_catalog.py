"""Load the scoring catalog into InstrumentVersion rows (same code as the command)."""

from typing import Any

from django.db import migrations


def sync(apps: Any, schema_editor: Any) -> None:
    from painrehab.instruments.catalog_sync import catalog_sync

    catalog_sync(apps.get_model("instruments", "InstrumentVersion"))


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
