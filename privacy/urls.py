from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("me/data/", views.data_overview, name="data"),
    path("me/data/copy/", views.export_request, name="export_request"),
    path("me/data/copy/<int:pk>/download/", views.export_download, name="export_download"),
    path("me/data/delete-account/", views.account_delete, name="account_delete"),
    path("staff/security-log/", views.audit_log, name="audit_log"),
]
