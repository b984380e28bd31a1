"""The project's addresses plus two that fail, to see the error pages a user gets."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sigap.urls import urlpatterns as project_urls


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("test-403/", forbidden), path("test-500/", broken), *project_urls]
