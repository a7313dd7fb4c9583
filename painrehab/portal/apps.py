from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "painrehab.portal"
    label = "portal"
