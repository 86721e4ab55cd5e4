from django.urls import path

from . import views

app_name = "setup"

# Every named URL here must also be registered in tests/test_url_access.py.
urlpatterns = [
    path("proposals/", views.my_proposals, name="my_proposals"),
    path("proposals/place/", views.place_propose, name="place_propose"),
    path("proposals/organisation/", views.organisation_propose, name="organisation_propose"),
    path("proposals/review/", views.review_queue, name="review_queue"),
    path("proposals/places/<int:pk>/", views.place_proposal_detail, name="place_proposal"),
    path(
        "proposals/organisations/<int:pk>/",
        views.organisation_proposal_detail,
        name="organisation_proposal",
    ),
    path("places/<slug:slug>/forums/new/", views.forum_create, name="forum_create"),
    path("places/<slug:slug>/engagement/new/", views.engagement_assess, name="engagement_assess"),
    path(
        "organisations/<slug:slug>/profile/",
        views.organisation_profile,
        name="organisation_profile",
    ),
]
