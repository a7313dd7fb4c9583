import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("episodes", "0002_beds"),
        ("patients", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupSession",
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
                ("template", models.CharField(default="group_session", max_length=40)),
                ("service_date", models.DateField(verbose_name="date of the group")),
                ("topic", models.CharField(max_length=120, verbose_name="group")),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "leader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-service_date", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Note",
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
                ("template", models.CharField(max_length=40, verbose_name="template")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("evaluation", "Evaluation"),
                            ("daily_progress", "Daily progress"),
                            ("group_session", "Group session"),
                            ("nursing_shift", "Nursing shift"),
                            ("team_conference", "Team conference"),
                            ("discharge", "Discharge"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("service_date", models.DateField(verbose_name="date of service")),
                (
                    "body",
                    models.JSONField(blank=True, default=dict, verbose_name="sections"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("signed", "Signed")],
                        default="draft",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "signed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="signed"),
                ),
                ("content_sha256", models.CharField(blank=True, max_length=64)),
                (
                    "is_late_entry",
                    models.BooleanField(default=False, verbose_name="late entry"),
                ),
                (
                    "late_entry_reason",
                    models.TextField(
                        blank=True, verbose_name="reason for the late entry"
                    ),
                ),
                ("cosign_required", models.BooleanField(default=False)),
                (
                    "cosigned_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="co-signed"
                    ),
                ),
                (
                    "confidential",
                    models.BooleanField(
                        default=False, verbose_name="adolescent-confidential"
                    ),
                ),
                (
                    "confidential_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            (
                                "teen_request_171_202_e",
                                "The teen asked that this not be shared with parents (45 CFR 171.202(e), individual's request not to share)",
                            ),
                            (
                                "preventing_harm_171_201",
                                "Parent access would harm the clinician's relationship with the teen or the teen's safety or well-being (Cal. HSC 123115(a)(2); 45 CFR 171.201 preventing harm)",
                            ),
                            (
                                "required_by_law_123115_a1",
                                "Care the teen lawfully consented to on their own (Cal. HSC 123115(a)(1); HIPAA 164.502(g)(3)): required by law",
                            ),
                            (
                                "required_by_law_123115_a3",
                                "A minor-consent service under Cal. Fam. Code 6924–6930 or HSC 124260 (Cal. HSC 123115(a)(3)): required by law",
                            ),
                            (
                                "privacy_171_202_b",
                                "The program's written policy withholds this kind of note from parents of teens (45 CFR 171.202(b), precondition not satisfied)",
                            ),
                        ],
                        max_length=40,
                        verbose_name="reason code",
                    ),
                ),
                ("confidential_set_at", models.DateTimeField(blank=True, null=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "confidential_set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "cosign_supervisor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "cosigned_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to="episodes.episode",
                    ),
                ),
                (
                    "group_session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to="notes.groupsession",
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to="patients.patient",
                    ),
                ),
            ],
            options={
                "ordering": ["-service_date", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Addendum",
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
                ("text", models.TextField(verbose_name="addendum")),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("signed_at", models.DateTimeField()),
                ("content_sha256", models.CharField(max_length=64)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "note",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="addenda",
                        to="notes.note",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "addenda",
                "ordering": ["signed_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PsychotherapyNote",
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
                ("service_date", models.DateField(verbose_name="date of the session")),
                (
                    "text",
                    models.TextField(blank=True, verbose_name="psychotherapy note"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("signed", "Signed")],
                        default="draft",
                        max_length=8,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                ("form_token", models.UUIDField(default=uuid.uuid4, unique=True)),
                ("signed_at", models.DateTimeField(blank=True, null=True)),
                ("content_sha256", models.CharField(blank=True, max_length=64)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="patients.patient",
                    ),
                ),
                (
                    "supervisor",
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
                "ordering": ["-service_date", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="note",
            index=models.Index(
                fields=["patient", "status", "service_date"],
                name="notes_note_patient_1b17c6_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("content_sha256", ""),
                        ("signed_at__isnull", True),
                        ("status", "draft"),
                    ),
                    models.Q(
                        ("signed_at__isnull", False),
                        ("status", "signed"),
                        models.Q(("content_sha256", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="notes_signed_has_time_and_digest",
            ),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("confidential", False), ("confidential_reason", "")),
                    models.Q(
                        ("confidential", True),
                        (
                            "confidential_reason__in",
                            [
                                "teen_request_171_202_e",
                                "preventing_harm_171_201",
                                "required_by_law_123115_a1",
                                "required_by_law_123115_a3",
                                "privacy_171_202_b",
                            ],
                        ),
                    ),
                    _connector="OR",
                ),
                name="notes_confidential_has_reason_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_late_entry", False),
                    models.Q(("late_entry_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="notes_late_entry_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("cosigned_at__isnull", True), ("cosigned_by__isnull", True)
                    ),
                    models.Q(
                        ("cosign_required", True),
                        ("cosigned_at__isnull", False),
                        ("cosigned_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="notes_cosigned_only_when_required",
            ),
        ),
        migrations.AddConstraint(
            model_name="note",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("cosign_required", False),
                    ("cosign_supervisor__isnull", False),
                    _connector="OR",
                ),
                name="notes_cosign_names_the_supervisor",
            ),
        ),
        migrations.AddConstraint(
            model_name="psychotherapynote",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("content_sha256", ""),
                        ("signed_at__isnull", True),
                        ("status", "draft"),
                    ),
                    models.Q(
                        ("signed_at__isnull", False),
                        ("status", "signed"),
                        models.Q(("content_sha256", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="notes_pn_signed_has_time_and_digest",
            ),
        ),
    ]
