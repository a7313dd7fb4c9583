from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "painrehab.accounts"
    label = "accounts"

    def ready(self) -> None:
        from painrehab.accounts import checks  # noqa: F401  (registers system checks)


class PainRehabAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "painrehab.accounts.admin_site.PainRehabAdminSite"
