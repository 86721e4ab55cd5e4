"""URLs for the place picture and wellbeing check-ins, included from talking_points/urls.py."""

from django.urls import path

from .views import wellbeing
from .views.picture import champions, dashboard, language, propositions, register, system_map

urlpatterns = [
    path("places/<slug:slug>/picture/", dashboard.place_picture, name="place_picture"),
    path("places/<slug:slug>/system-map/", system_map.system_map, name="system_map"),
    path(
        "places/<slug:slug>/system-map/<int:pk>/remove/",
        system_map.relationship_remove,
        name="relationship_remove",
    ),
    path("places/<slug:slug>/propositions/", propositions.propositions, name="propositions"),
    path("places/<slug:slug>/glossary/", language.glossary, name="glossary"),
    path(
        "places/<slug:slug>/glossary/<int:pk>/edit/", language.glossary_edit, name="glossary_edit"
    ),
    path(
        "places/<slug:slug>/glossary/<int:pk>/remove/",
        language.glossary_delete,
        name="glossary_delete",
    ),
    path("places/<slug:slug>/champions/", champions.champions, name="champions"),
    path(
        "places/<slug:slug>/champions/step-down/",
        champions.champion_step_down,
        name="champion_step_down",
    ),
    path("commissions/", register.commission_list, name="commission_list"),
    path("commissions/export.csv", register.commission_export, name="commission_export"),
    path("commissions/new/", register.commission_create, name="commission_create"),
    path("commissions/<int:pk>/", register.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/edit/", register.commission_edit, name="commission_edit"),
    path("commissions/<int:pk>/remove/", register.commission_delete, name="commission_delete"),
    path("forums/<slug:slug>/wellbeing/", wellbeing.forum_wellbeing, name="forum_wellbeing"),
    path(
        "sessions/<int:pk>/wellbeing-check-in/",
        wellbeing.wellbeing_check_in,
        name="wellbeing_check_in",
    ),
    path("picture/readability/", language.readability_check, name="readability_check"),
]
