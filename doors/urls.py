from django.urls import path

from . import views

app_name = "doors"

urlpatterns = [
    path("office-hours/new/", views.slot_new, name="slot_new"),
    path("office-hours/<int:pk>/book/", views.slot_book, name="slot_book"),
    path("office-hours/<int:pk>/remove/", views.slot_remove, name="slot_remove"),
    path("office-hours/bookings/", views.bookings, name="bookings"),
    path("office-hours/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/answer/", views.visit_answer, name="visit_answer"),
    path("visits/<int:pk>/learned/", views.visit_learning, name="visit_learning"),
]
