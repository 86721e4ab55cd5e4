from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from hls_forum import views as root_views
from partnerships import views as partnership_views
from privacy import views as privacy_views
from talking_points.views import home

# Admin's own login form is never shown: sign-in goes through allauth, so it is rate-limited
# and asks for the second step; StaffMFARequiredMiddleware keeps staff without MFA out.
admin.site.login = partnership_views.admin_login  # type: ignore[method-assign]
admin.site.site_header = "HLS Forum administration"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", partnership_views.healthz, name="healthz"),
    path("favicon.ico", root_views.favicon, name="favicon"),
    path("robots.txt", root_views.robots_txt, name="robots_txt"),
    path("about/privacy/", privacy_views.notice, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    path("", include("talking_points.urls")),
    path("", include("privacy.urls")),
    path("", include("reminders.urls")),
    path("", include("setup.urls")),
    path("", include("stories.urls")),
    path("", include("api.urls")),
    path("", include("decisions.urls")),
    path("", include("doors.urls")),
    path("", include("threads.urls")),
    path("", include("funding.urls")),
    path("", include("guests.urls")),
    path("", include("records.urls")),
    path("", include("agenda.urls")),
]

if apps.is_installed("bench"):  # only with BENCH=1: never in production
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

handler400 = "partnerships.views.bad_request"
handler403 = "partnerships.views.permission_denied"
handler404 = "partnerships.views.page_not_found"
handler500 = "hls_forum.errors.server_error"
