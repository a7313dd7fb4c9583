from django.urls import path

from painrehab.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/login/verify/", views.verify, name="verify"),
    path("accounts/login/enrol/", views.enrol, name="enrol"),
    path("accounts/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/keepalive/", views.keepalive, name="keepalive"),
]
