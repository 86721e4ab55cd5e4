"""URLs for forum sessions, included by talking_points/urls.py (namespace talking_points)."""

from django.urls import path

from .views import sessions as views

urlpatterns = [
    path(
        "forums/<slug:slug>/talking-points/",
        views.forum_talking_points,
        name="forum_talking_points",
    ),
    path(
        "forums/<slug:slug>/talking-points/<int:pk>/retire/",
        views.talking_point_retire,
        name="talking_point_retire",
    ),
    path("forums/<slug:slug>/sessions/", views.forum_sessions, name="forum_sessions"),
    path("forums/<slug:slug>/sessions/plan/", views.session_plan, name="session_plan"),
    path("forums/<slug:slug>/decisions/", views.forum_decisions, name="forum_decisions"),
    path("forums/<slug:slug>/actions/", views.forum_actions, name="forum_actions"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/time-box/",
        views.agenda_item_time_box,
        name="agenda_item_time_box",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/move/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/remove/",
        views.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("sessions/<int:pk>/open/", views.session_open, name="session_open"),
    path("sessions/<int:pk>/join/", views.session_join, name="session_join"),
    path("sessions/<int:pk>/live/", views.session_poll, name="session_poll"),
    path("sessions/<int:pk>/next/", views.agenda_advance, name="agenda_advance"),
    path("sessions/<int:pk>/contributions/", views.contribution_add, name="contribution_add"),
    path(
        "sessions/<int:pk>/contributions/<int:contribution_pk>/hide/",
        views.contribution_hide,
        name="contribution_hide",
    ),
    path("sessions/<int:pk>/contributions.csv", views.session_export, name="session_export"),
    path("sessions/<int:pk>/round-robin/", views.round_robin, name="round_robin"),
    path("sessions/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("sessions/<int:pk>/actions/", views.action_add, name="action_add"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("sessions/<int:pk>/publish/", views.session_publish, name="session_publish"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
