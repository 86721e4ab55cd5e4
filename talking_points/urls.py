from django.urls import path

from . import views

app_name = "talking_points"

urlpatterns = [
    path("talking-points/", views.talking_point_list, name="talking_point_list"),
]
