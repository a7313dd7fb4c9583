from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "painrehab.notes"
    label = "notes"
