import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("episodes", "0002_beds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CarePlan",
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
                    "template",
                    models.CharField(
                        max_length=40, verbose_name="created from template"
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="plan summary"
                    ),
                ),
                (
                    "child_hopes",
                    models.TextField(
                        blank=True,
                        max_length=1000,
                        verbose_name="what the child wants to get back to, in their words",
                    ),
                ),
                (
                    "max_therapy_minutes_per_day",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(60),
                            django.core.validators.MaxValueValidator(600),
                        ],
                        verbose_name="therapy minutes a day at most",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "episode",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="care_plan",
                        to="episodes.episode",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Formulation",
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
                    "biological",
                    models.JSONField(
                        blank=True, default=list, verbose_name="biological factors"
                    ),
                ),
                (
                    "psychological",
                    models.JSONField(
                        blank=True, default=list, verbose_name="psychological factors"
                    ),
                ),
                (
                    "social",
                    models.JSONField(
                        blank=True, default=list, verbose_name="social factors"
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True, max_length=3000, verbose_name="formulation summary"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "care_plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="formulation",
                        to="careplans.careplan",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Goal",
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
                    "domain",
                    models.CharField(
                        choices=[
                            ("physical_function", "Physical function"),
                            ("school", "School"),
                            ("sleep", "Sleep"),
                            ("coping", "Pain coping and fear"),
                            ("emotional", "Emotional well-being"),
                            ("family", "Family"),
                            ("daily_living", "Daily living"),
                            ("recreation", "Recreation"),
                        ],
                        max_length=20,
                        verbose_name="domain",
                    ),
                ),
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
                        verbose_name="discipline responsible",
                    ),
                ),
                (
                    "child_words",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="the child's own words"
                    ),
                ),
                (
                    "target",
                    models.CharField(max_length=300, verbose_name="measurable target"),
                ),
                (
                    "baseline",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="baseline"
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("met", "Met"),
                            ("revised", "Revised (replaced by a new goal)"),
                            ("discontinued", "Discontinued"),
                        ],
                        default="active",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("template_key", models.CharField(blank=True, max_length=40)),
                ("version", models.PositiveIntegerField(default=1)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "care_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="goals",
                        to="careplans.careplan",
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
            ],
            options={
                "ordering": ["care_plan", "pk"],
            },
        ),
        migrations.CreateModel(
            name="GoalReview",
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
                ("reviewed_on", models.DateField(verbose_name="review date")),
                (
                    "score",
                    models.SmallIntegerField(
                        choices=[
                            (-2, "−2 much less than expected"),
                            (-1, "−1 somewhat less than expected"),
                            (0, "0 expected level"),
                            (1, "+1 somewhat more than expected"),
                            (2, "+2 much more than expected"),
                        ],
                        verbose_name="attainment",
                    ),
                ),
                (
                    "note",
                    models.TextField(blank=True, max_length=1000, verbose_name="note"),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded")),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "goal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="careplans.goal",
                    ),
                ),
            ],
            options={
                "ordering": ["reviewed_on", "recorded_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", -2), ("score__lte", 2)),
                        name="careplans_review_score_in_gas_range",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PlanChange",
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
                ("at", models.DateTimeField()),
                ("action", models.CharField(max_length=40)),
                ("subject", models.CharField(max_length=20)),
                ("subject_id", models.PositiveIntegerField(blank=True, null=True)),
                ("label", models.CharField(max_length=200)),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("reason", models.TextField(blank=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "care_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to="careplans.careplan",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["care_plan", "subject", "subject_id"],
                        name="careplans_p_care_pl_576043_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Prescription",
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
                    "label",
                    models.CharField(blank=True, max_length=80, verbose_name="name"),
                ),
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
                (
                    "sessions_per_day",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="sessions a day"
                    ),
                ),
                (
                    "sessions_per_week",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="sessions a week"
                    ),
                ),
                (
                    "minutes",
                    models.PositiveSmallIntegerField(verbose_name="minutes a session"),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("individual", "Individual"), ("group", "Group")],
                        max_length=12,
                        verbose_name="individual or group",
                    ),
                ),
                (
                    "time_of_day",
                    models.CharField(
                        choices=[
                            ("morning", "Morning"),
                            ("afternoon", "Afternoon"),
                            ("evening", "Evening"),
                            ("any", "Any time"),
                        ],
                        default="any",
                        max_length=12,
                        verbose_name="preferred time of day",
                    ),
                ),
                (
                    "excluded_weekdays",
                    models.JSONField(
                        blank=True, default=list, verbose_name="days excluded"
                    ),
                ),
                (
                    "continuity",
                    models.CharField(
                        choices=[
                            ("same_preferred", "Same therapist preferred"),
                            ("same_required", "Same therapist required"),
                            ("no_preference", "No preference"),
                        ],
                        default="same_preferred",
                        max_length=16,
                        verbose_name="same therapist",
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="starts")),
                (
                    "ends_on",
                    models.DateField(blank=True, null=True, verbose_name="ends"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "Active"), ("stopped", "Stopped")],
                        default="active",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                (
                    "stopped_on",
                    models.DateField(
                        blank=True, null=True, verbose_name="stopped from"
                    ),
                ),
                (
                    "stop_reason",
                    models.TextField(blank=True, verbose_name="reason for stopping"),
                ),
                ("template_key", models.CharField(blank=True, max_length=40)),
                ("version", models.PositiveIntegerField(default=1)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "care_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="prescriptions",
                        to="careplans.careplan",
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
            ],
            options={
                "ordering": ["care_plan", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("sessions_per_day__isnull", False),
                                ("sessions_per_week", None),
                            ),
                            models.Q(
                                ("sessions_per_day", None),
                                ("sessions_per_week__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="careplans_prescription_one_frequency",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("minutes__gte", 15), ("minutes__lte", 180)),
                        name="careplans_prescription_minutes_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "active"), ("stopped_on", None)),
                            models.Q(
                                ("status", "stopped"), ("stopped_on__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="careplans_prescription_stopped_has_date",
                    ),
                ],
            },
        ),
    ]
