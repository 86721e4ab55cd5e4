"""URLs for forum sessions, included by talking_points/urls.py (namespace talking_points)."""

from django.urls import path

from .views.sessions import detail, live, planning, records

urlpatterns = [
    path(
        "forums/<slug:slug>/talking-points/",
        planning.forum_talking_points,
        name="forum_talking_points",
    ),
    path(
        "forums/<slug:slug>/talking-points/<int:pk>/retire/",
        planning.talking_point_retire,
        name="talking_point_retire",
    ),
    path("forums/<slug:slug>/sessions/", records.forum_sessions, name="forum_sessions"),
    path("forums/<slug:slug>/sessions/plan/", planning.session_plan, name="session_plan"),
    path("forums/<slug:slug>/decisions/", records.forum_decisions, name="forum_decisions"),
    path("forums/<slug:slug>/actions/", records.forum_actions, name="forum_actions"),
    path("sessions/<int:pk>/", detail.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", planning.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", planning.session_delete, name="session_delete"),
    path("sessions/<int:pk>/agenda/", planning.agenda_add, name="agenda_add"),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/time-box/",
        planning.agenda_item_time_box,
        name="agenda_item_time_box",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/move/",
        planning.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/remove/",
        planning.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("sessions/<int:pk>/open/", live.session_open, name="session_open"),
    path("sessions/<int:pk>/join/", live.session_join, name="session_join"),
    path("sessions/<int:pk>/live/", detail.session_poll, name="session_poll"),
    path("sessions/<int:pk>/next/", live.agenda_advance, name="agenda_advance"),
    path("sessions/<int:pk>/contributions/", live.contribution_add, name="contribution_add"),
    path(
        "sessions/<int:pk>/contributions/<int:contribution_pk>/hide/",
        live.contribution_hide,
        name="contribution_hide",
    ),
    path("sessions/<int:pk>/contributions.csv", records.session_export, name="session_export"),
    path("sessions/<int:pk>/round-robin/", live.round_robin, name="round_robin"),
    path("sessions/<int:pk>/decisions/", live.decision_add, name="decision_add"),
    path("sessions/<int:pk>/actions/", live.action_add, name="action_add"),
    path("sessions/<int:pk>/close/", records.session_close, name="session_close"),
    path("sessions/<int:pk>/publish/", records.session_publish, name="session_publish"),
    path("actions/<int:pk>/done/", live.action_done, name="action_done"),
]
