from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "painrehab.notes"
    label = "notes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from painrehab.accounts.context_processors import (
            register_badge,
            register_navigation,
        )
        from painrehab.notes.choices import NOTE_WRITER_ROLES, PSYCHOTHERAPY_NOTE_ROLES
        from painrehab.notes.selectors import notes_awaiting_cosignature
        from painrehab.patients.chart import ChartTab, register_tab

        register_tab(ChartTab("Notes", "notes:note_list", 50))
        register_navigation(_("My notes"), "notes:my_notes", NOTE_WRITER_ROLES)
        register_badge(
            "notes:my_notes",
            lambda user: notes_awaiting_cosignature(user=user).count(),
        )
        register_navigation(
            _("Psychotherapy notes"), "notes:pn_list", PSYCHOTHERAPY_NOTE_ROLES
        )
