from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "painrehab.messaging"
    label = "messaging"
