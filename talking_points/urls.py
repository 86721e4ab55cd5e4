from django.urls import path

from .urls_learning import urlpatterns as learning_urlpatterns
from .urls_sessions import urlpatterns as session_urlpatterns
from .views import talking_points as views

app_name = "talking_points"

urlpatterns = [
    path("talking-points/", views.talking_point_list, name="talking_point_list"),
    *session_urlpatterns,
    *learning_urlpatterns,
]
