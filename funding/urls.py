from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("places/<slug:slug>/funding/", views.place_funding, name="place_funding"),
    path(
        "places/<slug:slug>/funding/export.csv",
        views.place_funding_export,
        name="place_funding_export",
    ),
    path(
        "organisations/<slug:slug>/funding/",
        views.organisation_funding,
        name="organisation_funding",
    ),
    path(
        "organisations/<slug:slug>/org-id/", views.organisation_org_id, name="organisation_org_id"
    ),
    path("commissions/open-data/", views.open_data, name="open_data"),
    path("commissions/360giving.json", views.register_json, name="register_json"),
    path("commissions/360giving.csv", views.register_csv, name="register_csv"),
]
