from django.urls import path

from .urls_learning import urlpatterns as learning_urlpatterns
from .urls_picture import urlpatterns as picture_urlpatterns
from .urls_sessions import urlpatterns as session_urlpatterns
from .views import forum, home, place
from .views import talking_points as views

app_name = "talking_points"

urlpatterns = [
    path("talking-points/", views.talking_point_list, name="talking_point_list"),
    # Pages that show partnerships' and talking points' data together.
    path("me/", home.dashboard, name="dashboard"),
    path("places/<slug:slug>/", place.place_detail, name="place_detail"),
    path("forums/<slug:slug>/", forum.forum_detail, name="forum_detail"),
    *picture_urlpatterns,
    *session_urlpatterns,
    *learning_urlpatterns,
]
