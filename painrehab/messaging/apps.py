from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "painrehab.messaging"
    label = "messaging"

    def ready(self) -> None:
        from painrehab.accounts.choices import CLINICAL_ROLES
        from painrehab.accounts.context_processors import (
            register_badge,
            register_navigation,
        )
        from painrehab.messaging.selectors import unread_count
        from painrehab.messaging.selectors_family import family_awaiting_count
        from painrehab.patients.chart import ChartTab, register_tab

        register_tab(ChartTab("Team messages", "messaging:patient_threads", 60))
        register_navigation(_("Messages"), "messaging:inbox", CLINICAL_ROLES)
        register_badge("messaging:inbox", lambda user: unread_count(user=user))
        # Conversations with families: the badge counts those awaiting a reply.
        register_tab(ChartTab("Family messages", "messaging:family_threads", 62))
        register_navigation(
            _("Family messages"), "messaging:family_inbox", CLINICAL_ROLES
        )
        register_badge(
            "messaging:family_inbox", lambda user: family_awaiting_count(user=user)
        )
