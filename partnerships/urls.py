from django.urls import path

from . import urls_picture, views

app_name = "partnerships"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("places/", views.place_list, name="place_list"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("commissioners/<int:pk>/", views.commissioner_detail, name="commissioner_detail"),
    path("forums/<slug:slug>/", views.forum_detail, name="forum_detail"),
    *urls_picture.urlpatterns,
]
