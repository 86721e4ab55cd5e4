"""Included by the root URLconf under ``bench/`` only when the bench app is installed."""

from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("ok", views.ok, name="ok"),
]
