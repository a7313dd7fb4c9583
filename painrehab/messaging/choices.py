"""Choices of the messaging pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxFilter(models.TextChoices):
    """Which threads the inbox lists."""

    ALL = "all", _("All threads")
    UNREAD = "unread", _("Unread")
    MENTIONS = "mentions", _("Mentions of me")
