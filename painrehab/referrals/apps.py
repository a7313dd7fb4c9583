from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "painrehab.referrals"
    label = "referrals"
