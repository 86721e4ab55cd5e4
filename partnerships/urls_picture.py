"""URLs for the place picture (issue 6), included from partnerships/urls.py."""

from django.urls import path

from . import views_picture as views

urlpatterns = [
    path("places/<slug:slug>/picture/", views.place_picture, name="place_picture"),
    path("places/<slug:slug>/system-map/", views.system_map, name="system_map"),
    path(
        "places/<slug:slug>/system-map/<int:pk>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path("places/<slug:slug>/propositions/", views.propositions, name="propositions"),
    path("places/<slug:slug>/glossary/", views.glossary, name="glossary"),
    path("places/<slug:slug>/glossary/<int:pk>/edit/", views.glossary_edit, name="glossary_edit"),
    path(
        "places/<slug:slug>/glossary/<int:pk>/remove/",
        views.glossary_delete,
        name="glossary_delete",
    ),
    path("places/<slug:slug>/champions/", views.champions, name="champions"),
    path(
        "places/<slug:slug>/champions/step-down/",
        views.champion_step_down,
        name="champion_step_down",
    ),
    path("commissions/", views.commission_list, name="commission_list"),
    path("commissions/export.csv", views.commission_export, name="commission_export"),
    path("commissions/new/", views.commission_create, name="commission_create"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/edit/", views.commission_edit, name="commission_edit"),
    path("commissions/<int:pk>/remove/", views.commission_delete, name="commission_delete"),
    path("forums/<slug:slug>/wellbeing/", views.forum_wellbeing, name="forum_wellbeing"),
    path(
        "sessions/<int:pk>/wellbeing-check-in/",
        views.wellbeing_check_in,
        name="wellbeing_check_in",
    ),
    path("picture/readability/", views.readability_check, name="readability_check"),
]
