from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from motcua.api_root import api

urlpatterns = [
    # Staff sign in through one page, with the lockout and the second factor it enforces.
    path("admin/login/", RedirectView.as_view(url="/dang-nhap/", query_string=True, permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.staff.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.queueing.urls")),
    path("", include("motcua.notify.urls")),
    path("", include("motcua.results.urls")),
    path("", include("motcua.ops.urls")),
]
# An unreachable database outside a view (e.g. saving the session) answers 503, not 500.
handler500 = "motcua.ops.unavailable.server_error_or_unavailable"
# Uploaded scans are never served as public media: they go through the scoped document views.
