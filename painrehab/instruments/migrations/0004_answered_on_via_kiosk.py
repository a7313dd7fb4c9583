from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate


def answered_on_from_submitted(apps, schema_editor):
    """Forms submitted before ``answered_on`` existed were answered when submitted."""
    Administration = apps.get_model("instruments", "Administration")
    Administration.objects.filter(status="submitted").update(
        answered_on=TruncDate("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0002_beds"),
        ("instruments", "0003_bodymap_clinicianmeasure_dailycheckin"),
        ("patients", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="administration",
            name="instruments_submitted_has_time",
        ),
        migrations.AddField(
            model_name="administration",
            name="answered_on",
            field=models.DateField(blank=True, null=True, verbose_name="answered on"),
        ),
        migrations.AddField(
            model_name="administration",
            name="via_kiosk",
            field=models.BooleanField(
                default=False, verbose_name="answered in kiosk mode"
            ),
        ),
        migrations.RunPython(answered_on_from_submitted, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="administration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("answered_on__isnull", True),
                        ("status", "in_progress"),
                        ("submitted_at__isnull", True),
                    ),
                    models.Q(
                        ("answered_on__isnull", False),
                        ("status", "submitted"),
                        ("submitted_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="instruments_submitted_has_time",
            ),
        ),
    ]
