from django.urls import path

from . import views

app_name = "stories"

# Every named URL here must also be registered in tests/test_url_access.py.
urlpatterns = [
    path("places/<slug:slug>/tell-us/", views.tell_us, name="tell_us"),
    path("places/<slug:slug>/tell-us/thank-you/", views.told, name="told"),
    path("places/<slug:slug>/told-stories/", views.queue, name="queue"),
    path("told-stories/<int:pk>/", views.decide, name="decide"),
    path("tell-us/take-back/<str:token>/", views.withdraw, name="withdraw"),
    path("places/<slug:slug>/story-rounds/", views.round_list, name="round_list"),
    path("story-rounds/<int:pk>/", views.round_detail, name="round_detail"),
]
