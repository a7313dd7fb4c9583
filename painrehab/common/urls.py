from django.urls import path

from painrehab.common import views

app_name = "common"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
