"""Officer pages around the work: the header's links, where a login lands, the error pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def client_of(user, lang: str = "id") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": lang})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_without_an_agency_role_lands_on_the_admin(db) -> None:
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/")["Location"] == "/admin/"
    assert client.get("/accounts/login/")["Location"] == "/admin/"  # already logged in


def test_officers_land_on_their_cases(agency_a) -> None:
    officer = make_user(agency_a, Role.VERIFIKATOR)
    staff_officer = make_user(agency_a, Role.SUPERVISOR)
    get_user_model().objects.filter(pk=staff_officer.pk).update(is_staff=True)
    for user in (officer, staff_officer):
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/kasus/"
        assert client.get("/")["Location"] == "/kasus/"
    assert Client().get("/")["Location"] == "/accounts/login/"


def test_a_login_asked_for_a_page_still_goes_there(agency_a) -> None:
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    response = Client().post(
        "/accounts/login/?next=/admin/tenants/instansi/", {"username": "admin", "password": PASSWORD}
    )
    assert response["Location"] == "/admin/tenants/instansi/"
