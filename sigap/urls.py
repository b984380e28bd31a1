from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from sigap.coordination import views as coordination_views
from sigap.core import views as core_views


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", core_views.SigapLoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.logout_view, name="logout"),
    path("kasus/", include("sigap.cases.urls")),
    path("pelimpahan/", include("sigap.coordination.urls")),
    path("pantau/", coordination_views.agency_overview, name="hub_overview"),
    path("brankas/", include("sigap.vault.urls")),
    path("bukti/", include("sigap.evidence.urls")),
    path("admin/", admin.site.urls),
    path("", include("sigap.intake.portal.urls")),
]
