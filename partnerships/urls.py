from django.urls import path

from . import views

app_name = "partnerships"

# Every named URL here must also be registered in tests/test_url_access.py.
urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("places/", views.place_list, name="place_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<slug:slug>/invite/",
        views.organisation_invite,
        name="organisation_invite",
    ),
    path(
        "organisations/<slug:slug>/people/<int:pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("commissioners/<int:pk>/", views.commissioner_detail, name="commissioner_detail"),
    path("commissioners/<int:pk>/edit/", views.commissioner_edit, name="commissioner_edit"),
    path("forums/<slug:slug>/edit/", views.forum_edit, name="forum_edit"),
    path("forums/<slug:slug>/join/", views.forum_join, name="forum_join"),
    path(
        "forums/<slug:slug>/requests/<int:pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("forums/<slug:slug>/invite/", views.forum_invite, name="forum_invite"),
    path("forums/<slug:slug>/leave/", views.forum_leave, name="forum_leave"),
]
