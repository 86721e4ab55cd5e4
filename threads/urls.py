from django.urls import path

from . import views, webhooks

app_name = "threads"

urlpatterns = [
    path("forums/<slug:slug>/conversations/", views.forum_threads, name="forum_threads"),
    path("learning/<int:pk>/conversations/", views.entry_threads, name="entry_threads"),
    path("conversations/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("conversations/<int:pk>/emails/", views.thread_follow, name="thread_follow"),
    path("conversations/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("conversations/posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("conversations/inbound/mailgun/", webhooks.mailgun_inbound, name="inbound_mailgun"),
]
