import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careplans", "0001_initial"),
        ("episodes", "0002_beds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConferenceItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("added_at", models.DateTimeField()),
                ("snapshot", models.JSONField(blank=True, null=True)),
                ("snapshot_at", models.DateTimeField(blank=True, null=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conference_items",
                        to="episodes.episode",
                    ),
                ),
            ],
            options={
                "ordering": ["conference", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ConferenceDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            (
                                "change_prescription",
                                "Change a prescription (minutes or how often)",
                            ),
                            ("stop_prescription", "Stop a prescription"),
                            ("new_goal", "New goal"),
                            ("extend_stay", "Extend the stay"),
                            ("shorten_stay", "Shorten the stay"),
                            ("plan_discharge", "Plan the discharge date"),
                            ("no_change", "No change to the plan"),
                            ("other", "Other decision"),
                        ],
                        max_length=24,
                        verbose_name="decision",
                    ),
                ),
                ("params", models.JSONField(blank=True, default=dict)),
                ("summary", models.CharField(max_length=300)),
                ("rationale", models.TextField(max_length=1000, verbose_name="why")),
                ("applied_at", models.DateTimeField()),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan_change",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="careplans.planchange",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decisions",
                        to="careplans.conferenceitem",
                    ),
                ),
            ],
            options={
                "ordering": ["item", "applied_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="TeamConference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("held_on", models.DateField(unique=True, verbose_name="date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_progress", "In progress"),
                            ("closed", "Closed"),
                        ],
                        default="planned",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "chaired_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="chair",
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-held_on"],
            },
        ),
        migrations.AddField(
            model_name="conferenceitem",
            name="conference",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="items",
                to="careplans.teamconference",
            ),
        ),
        migrations.CreateModel(
            name="DisciplineUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "discipline",
                    models.CharField(
                        choices=[
                            ("PT", "Physical therapy"),
                            ("OT", "Occupational therapy"),
                            ("PSY", "Psychology"),
                            ("MED", "Pain medicine / PM&R"),
                            ("SW", "Social work"),
                            ("CL", "Child Life"),
                            ("ACU", "Acupuncture"),
                            ("REC", "Recreational therapy"),
                            ("SCHOOL", "Hospital school"),
                            ("NURSE", "Nursing"),
                            ("COORD", "Coordination"),
                            ("ADMIN", "Administration"),
                        ],
                        max_length=8,
                        verbose_name="discipline",
                    ),
                ),
                ("text", models.TextField(max_length=3000, verbose_name="update")),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="updates",
                        to="careplans.conferenceitem",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["item", "discipline"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "discipline"),
                        name="careplans_update_per_discipline",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FamilySummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "text",
                    models.TextField(
                        max_length=4000, verbose_name="summary for the family"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="family_summary",
                        to="careplans.conferenceitem",
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("released_at__isnull", True),
                                ("released_by__isnull", True),
                            ),
                            models.Q(
                                ("released_at__isnull", False),
                                ("released_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="careplans_family_summary_release_by_whom",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="teamconference",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True),
                    ("closed_at__isnull", False),
                    _connector="OR",
                ),
                name="careplans_conference_closed_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="conferenceitem",
            constraint=models.UniqueConstraint(
                fields=("conference", "episode"), name="careplans_conference_item_once"
            ),
        ),
    ]
