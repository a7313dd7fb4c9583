"""Staff pages about a child's portal access: invitations (views/staff_access.py)."""

from django.urls import URLPattern, path

from painrehab.portal.views import staff_access

app_name = "portal_staff"

urlpatterns: list[URLPattern] = [
    path(
        "patients/<int:patient_id>/family-access/",
        staff_access.family_access,
        name="family_access",
    ),
    path(
        "patients/<int:patient_id>/family-access/invite/",
        staff_access.invite,
        name="invite",
    ),
    path(
        "patients/<int:patient_id>/family-access/invitations/<int:invitation_id>/revoke/",
        staff_access.revoke,
        name="revoke",
    ),
]
