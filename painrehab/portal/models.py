"""Invitations to the family portal: one-time, expiring, stored only as a digest."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.patients.models import Guardian, Patient


class InvitationKind(models.TextChoices):
    GUARDIAN = "guardian", _("Parent or guardian")
    TEEN = "teen", _("The patient (12 or older)")


class Invitation(models.Model):
    """A one-time code that lets a guardian or a teen set up their portal account.

    Only the SHA-256 digest of the code is kept; the code itself is shown once to the
    staff member who made it (and sent in the e-mail). It expires, is used once, and
    can be revoked.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("for"), max_length=12, choices=InvitationKind.choices)
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    email = models.EmailField(_("send to e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    code_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=InvitationKind.GUARDIAN, guardian__isnull=False)
                    | Q(kind=InvitationKind.TEEN, guardian__isnull=True)
                ),
                name="portal_invitation_guardian_iff_guardian_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invitation for patient {self.patient_id}"
