from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_POST

from sigap.tenants.access import instansi_of_user


def landing_url(user: AbstractBaseUser | AnonymousUser) -> str:
    """Where a logged-in user starts: the case pages for anyone with a role in an agency; the Django
    admin for staff who hold no agency role (the case pages have nothing for them)."""
    if user.is_authenticated and getattr(user, "is_staff", False) and not instansi_of_user(user):
        return reverse("admin:index")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SigapLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


def home(request: HttpRequest) -> HttpResponse:
    """The start address: the login page, or the user's start page once logged in."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(landing_url(request.user))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or foreign form: explained in the visitor's own layout (Django's default renders
    without the request, so an officer would get the reporters' one)."""
    return render(request, "403_csrf.html", status=403)
