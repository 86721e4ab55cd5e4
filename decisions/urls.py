"""URLs for deciding in sessions and looking back (namespace decisions)."""

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("sessions/<int:pk>/decide/", views.round_start, name="round_start"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/position/", views.position_give, name="position_give"),
    path(
        "rounds/<int:pk>/objections/<uuid:position>/withdraw/",
        views.objection_withdraw,
        name="objection_withdraw",
    ),
    path("rounds/<int:pk>/amend/", views.proposal_amend, name="proposal_amend"),
    path("rounds/<int:pk>/end/", views.round_end, name="round_end"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path(
        "decisions/<int:pk>/review-date/", views.decision_review_date, name="decision_review_date"
    ),
    path("decisions/<int:pk>/review/", views.decision_look_back, name="decision_look_back"),
    path("experiments/<int:pk>/review/", views.experiment_review, name="experiment_review"),
]
