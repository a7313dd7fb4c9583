from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "painrehab.common"
    label = "common"
