"""URLs for learning logs, included by ``talking_points/urls.py`` (namespace talking_points)."""

from django.urls import path

from .views.learning import entries, logs, reviews

urlpatterns = [
    path("places/<slug:slug>/learning/", logs.learning_log, name="learning_log"),
    path("places/<slug:slug>/learning/new/", entries.entry_create, name="entry_create"),
    path(
        "places/<slug:slug>/learning/side-by-side/",
        logs.learning_compare,
        name="learning_compare",
    ),
    path(
        "places/<slug:slug>/learning/export.csv",
        logs.learning_export_csv,
        name="learning_export_csv",
    ),
    path("places/<slug:slug>/learning/print/", logs.learning_print, name="learning_print"),
    path("places/<slug:slug>/learning/feed/", logs.learning_feed, name="learning_feed"),
    path("learning/search/", logs.learning_search, name="learning_search"),
    path("learning/<int:pk>/", entries.entry_detail, name="entry_detail"),
    path("learning/<int:pk>/edit/", entries.entry_edit, name="entry_edit"),
    path("learning/<int:pk>/delete/", entries.entry_delete, name="entry_delete"),
    path("learning/<int:pk>/share/", entries.entry_share, name="entry_share"),
    path("learning/<int:pk>/consent/", entries.consent_record, name="consent_record"),
    path("learning/<int:pk>/consent/withdraw/", entries.consent_withdraw, name="consent_withdraw"),
    path("learning/<int:pk>/connect/", entries.entry_link_add, name="entry_link_add"),
    path(
        "learning/connections/<int:pk>/remove/",
        entries.entry_link_remove,
        name="entry_link_remove",
    ),
    path("learning/<int:pk>/read/", reviews.entry_mark_read, name="entry_mark_read"),
    path("learning/<int:pk>/respond/", reviews.review_create, name="review_create"),
    path("learning/responses/<int:pk>/reply/", reviews.review_reply, name="review_reply"),
    path("reviews/", reviews.review_queue, name="review_queue"),
    path("sessions/<int:pk>/learning/", reviews.session_learning, name="session_learning"),
    path("decisions/<int:pk>/learning/", reviews.decision_learning, name="decision_learning"),
]
