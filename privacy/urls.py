from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("me/data/", views.data_overview, name="data"),
    path("me/data/copy/", views.export_request, name="export_request"),
    path("me/data/copy/<int:pk>/download/", views.export_download, name="export_download"),
    path("me/data/delete-account/", views.account_delete, name="account_delete"),
    # Under /accounts/: usable while a commissioner is still setting up two-step sign-in.
    path("accounts/stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("staff/security-log/", views.audit_log, name="audit_log"),
]
