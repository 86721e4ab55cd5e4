"""URLs for learning logs, included by ``talking_points/urls.py`` (namespace talking_points)."""

from django.urls import path

from .views import learning as views

urlpatterns = [
    path("places/<slug:slug>/learning/", views.learning_log, name="learning_log"),
    path("places/<slug:slug>/learning/new/", views.entry_create, name="entry_create"),
    path(
        "places/<slug:slug>/learning/side-by-side/",
        views.learning_compare,
        name="learning_compare",
    ),
    path(
        "places/<slug:slug>/learning/export.csv",
        views.learning_export_csv,
        name="learning_export_csv",
    ),
    path("places/<slug:slug>/learning/print/", views.learning_print, name="learning_print"),
    path("places/<slug:slug>/learning/feed/", views.learning_feed, name="learning_feed"),
    path("learning/search/", views.learning_search, name="learning_search"),
    path("learning/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("learning/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("learning/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("learning/<int:pk>/share/", views.entry_share, name="entry_share"),
    path("learning/<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("learning/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("learning/<int:pk>/connect/", views.entry_link_add, name="entry_link_add"),
    path(
        "learning/connections/<int:pk>/remove/",
        views.entry_link_remove,
        name="entry_link_remove",
    ),
    path("learning/<int:pk>/read/", views.entry_mark_read, name="entry_mark_read"),
    path("learning/<int:pk>/respond/", views.review_create, name="review_create"),
    path("learning/responses/<int:pk>/reply/", views.review_reply, name="review_reply"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("sessions/<int:pk>/learning/", views.session_learning, name="session_learning"),
    path("decisions/<int:pk>/learning/", views.decision_learning, name="decision_learning"),
]
