from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "painrehab.audit"
    label = "audit"
