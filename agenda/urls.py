from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("sessions/<int:pk>/propose/", views.proposal_new, name="proposal_new"),
    path(
        "sessions/<int:pk>/proposals/<int:proposal_pk>/answer/",
        views.proposal_answer,
        name="proposal_answer",
    ),
    path("my-proposals/", views.my_proposals, name="my_proposals"),
    path("forums/<slug:slug>/rota/", views.rota, name="rota"),
    path("forums/<slug:slug>/rota/settings/", views.rota_settings, name="rota_settings"),
    path("forums/<slug:slug>/rota/willing/", views.rota_willing, name="rota_willing"),
    path("sessions/<int:pk>/rota/change/", views.rota_change, name="rota_change"),
    path("sessions/<int:pk>/rota/skip/", views.rota_skip, name="rota_skip"),
    path("sessions/<int:pk>/corrections/new/", views.correction_new, name="correction_new"),
    path(
        "sessions/<int:pk>/corrections/<int:correction_pk>/answer/",
        views.correction_answer,
        name="correction_answer",
    ),
]
