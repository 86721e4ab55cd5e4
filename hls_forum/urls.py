from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import TemplateView

from partnerships import views as partnership_views

# Admin's own login form goes through allauth, so it is rate-limited and MFA-aware.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "HLS Forum administration"

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("healthz", partnership_views.healthz, name="healthz"),
    path("bench/ok", partnership_views.bench_ok, name="bench_ok"),
    path(
        "about/privacy/",
        TemplateView.as_view(template_name="privacy.html"),
        name="privacy",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    path("", include("talking_points.urls")),
]

handler403 = "partnerships.views.permission_denied"
handler404 = "partnerships.views.page_not_found"
