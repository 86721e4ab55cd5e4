from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.preferences, name="preferences"),
    path(
        "reminders/forums/<slug:slug>/reminders/",
        views.forum_reminders_toggle,
        name="forum_reminders_toggle",
    ),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("forums/<slug:slug>/calendar.ics", views.forum_calendar, name="forum_calendar"),
    path("forums/<slug:slug>/reminders-sent/", views.forum_deliveries, name="forum_deliveries"),
    path(
        "forums/<slug:slug>/reminders-sent/<str:day>/",
        views.meeting_deliveries,
        name="meeting_deliveries",
    ),
    path("reminders/deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
    path("emails/attention/", views.emails_attention, name="emails_attention"),
    path("emails/<int:pk>/resend/", views.email_resend, name="email_resend"),
]
