from django.urls import path

from painrehab.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="patient_list"),
    path("<int:patient_id>/", views.patient_detail, name="patient_detail"),
]
