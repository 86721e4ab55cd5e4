from django.urls import path

from . import views

app_name = "guests"

urlpatterns = [
    path("g/<str:token>/", views.guest_join, name="join"),
    path("g/<str:token>/live/", views.guest_live, name="live"),
    path("g/<str:token>/say/", views.guest_say, name="say"),
    path("sessions/<int:pk>/guests/", views.guest_panel, name="panel"),
    path("sessions/<int:pk>/guests/link/", views.guest_link_make, name="link_make"),
    path(
        "sessions/<int:pk>/guests/waiting/<int:waiting_pk>/admit/",
        views.waiting_admit,
        name="waiting_admit",
    ),
    path(
        "sessions/<int:pk>/guests/waiting/<int:waiting_pk>/decline/",
        views.waiting_decline,
        name="waiting_decline",
    ),
]
