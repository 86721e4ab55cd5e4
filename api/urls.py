from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import tokens, views

app_name = "api"

router = SimpleRouter()
router.register("api/places", views.PlaceViewSet, basename="place")
router.register("api/organisations", views.OrganisationViewSet, basename="organisation")
router.register("api/commissioners", views.CommissionerViewSet, basename="commissioner")
router.register("api/forums", views.ForumViewSet, basename="forum")
router.register("api/sessions", views.SessionViewSet, basename="session")
router.register("api/commissions", views.CommissionViewSet, basename="commission")
router.register("api/learning", views.LearningEntryViewSet, basename="learning")

# Every named URL here must also be registered in tests/test_url_access.py.
urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
    path("me/tokens/", tokens.token_list, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
