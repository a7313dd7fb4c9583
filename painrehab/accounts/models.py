"""Accounts: the custom user, staff profiles and recovery codes."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from painrehab.accounts.choices import FAMILY_ROLES, STAFF_ROLES, Discipline, Role


class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A person who signs in: staff member, guardian or adolescent patient."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )
    # Family accounts only: a teen's phone must differ from every guardian's (MIN-3).
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"), name="accounts_user_username_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_staff_member(self) -> bool:
        """True for every workforce role (all of whom need a second factor)."""
        return self.role in STAFF_ROLES

    @property
    def is_family(self) -> bool:
        return self.role in FAMILY_ROLES

    @property
    def requires_mfa(self) -> bool:
        return self.is_staff_member


class StaffProfile(models.Model):
    """A staff member's discipline and credentials, shown beside their name."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="staff_profile"
    )
    discipline = models.CharField(
        _("discipline"), max_length=8, choices=Discipline.choices
    )
    credentials = models.CharField(
        _("credentials"), max_length=80, blank=True, help_text=_("e.g. PT, DPT")
    )
    license_number = models.CharField(_("licence number"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    is_trainee = models.BooleanField(_("trainee"), default=False)
    supervisor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisees",
    )

    def __str__(self) -> str:
        suffix = f", {self.credentials}" if self.credentials else ""
        return f"{self.user}{suffix}"


def hash_recovery_code(code: str) -> str:
    """SHA-256 of a normalised code; codes carry 125 bits, so a plain hash suffices."""
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCodeDevice(Device):  # type: ignore[misc]
    """Single-use recovery codes, stored only as hashes (django-otp's own are plain)."""

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("recovery codes")

    def verify_token(self, token: str) -> bool:
        digest = hash_recovery_code(str(token))
        for code in self.codes.filter(used_at__isnull=True):
            if hmac.compare_digest(code.code_hash, digest):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                return True
        return False


class RecoveryCode(models.Model):
    """One recovery code's hash; ``used_at`` is set when it is spent."""

    device = models.ForeignKey(
        RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"
