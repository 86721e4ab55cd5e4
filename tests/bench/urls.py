"""The root URLconf as it is with ``BENCH=1``: the site's URLs and the bench app's."""

from django.urls import include, path

from hls_forum import urls as site

urlpatterns = [path("bench/", include("bench.urls")), *site.urlpatterns]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
