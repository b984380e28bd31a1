"""Officer pages around the work: the header's links, where a login lands, the error pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

VAULT_LINK = 'href="/brankas/"'


def client_of(user, lang: str = "id") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": lang})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("role", list(Role))
def test_the_header_links_to_the_vault_exactly_when_the_vault_opens(agency_a, role) -> None:
    client = client_of(make_user(agency_a, role))
    page = client.get("/kasus/")
    assert page.status_code == 200
    vault = client.get("/brankas/")
    assert vault.status_code in {200, 404}
    assert (VAULT_LINK in page.content.decode()) == (vault.status_code == 200), role


def test_monitor_and_analyst_see_no_vault_link(agency_a, hub) -> None:
    monitor = client_of(make_user(hub, Role.HUB_MONITOR))
    analyst = client_of(make_user(agency_a, Role.ANALYST))
    verifier = client_of(make_user(agency_a, Role.VERIFIKATOR))
    assert VAULT_LINK not in monitor.get("/kasus/").content.decode()
    assert VAULT_LINK not in analyst.get("/kasus/").content.decode()
    assert VAULT_LINK in verifier.get("/kasus/").content.decode()


@pytest.mark.parametrize(
    ("lang", "title", "bare"),
    [("id", "Halaman tidak ditemukan", "Not Found"), ("en", "Page not found", "Not Found")],
)
def test_a_page_that_is_not_there_says_so_in_the_site_layout(agency_a, lang, title, bare) -> None:
    analyst = client_of(make_user(agency_a, Role.ANALYST), lang)
    response = analyst.get("/brankas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page and "/static/sigap/app.css" in page and 'class="top"' in page
    assert f"<h1>{title}</h1>" in page and bare not in page
    assert 'href="/"' in page  # a way back to the start page
    anonymous = Client(headers={"accept-language": lang}).get("/tidak-ada/")
    assert anonymous.status_code == 404
    assert title in anonymous.content.decode() and 'href="/kotak-surat/"' in anonymous.content.decode()


def test_a_visitor_who_is_not_logged_in_gets_error_pages_in_the_portal_layout(agency_a) -> None:
    """A reporter who mistypes a mailbox or receipt address must not land in the officers' layout
    (their script, their header): the portal's page is plain, script-free and fits a phone."""
    for address in ("/tidak-ada/", "/kotak-surat/tidak-ada/", "/bukti/tidak-ada/"):
        response = Client().get(address)
        assert response.status_code == 404, address
        page = response.content.decode()
        assert "/static/sigap/portal.css" in page and "/static/sigap/app.css" not in page, address
        assert "<script" not in page and 'class="portal"' in page
        assert "<h1>Halaman tidak ditemukan</h1>" in page


def test_forbidden_and_server_errors_get_site_pages_too(agency_a, settings) -> None:
    settings.ROOT_URLCONF = "tests.core.error_urls"
    officer = client_of(make_user(agency_a, Role.VERIFIKATOR))
    forbidden = officer.get("/test-403/")
    assert forbidden.status_code == 403 and "<h1>Tidak diizinkan</h1>" in forbidden.content.decode()
    assert "/static/sigap/app.css" in forbidden.content.decode()
    broken_client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    broken = broken_client.get("/test-500/")
    assert broken.status_code == 500
    assert 'action="/i18n/setlang/"' not in broken.content.decode()  # no form that could not be posted
    assert "<h1>Something went wrong</h1>" in broken.content.decode()
    # rendered without the request, so without knowing who asked: the plain portal layout
    assert (
        "/static/sigap/portal.css" in broken.content.decode() and "Server Error" not in broken.content.decode()
    )


def test_an_expired_form_is_explained(agency_a) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/kotak-surat/tulis/", {"body": "halo"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Formulir ini sudah kedaluwarsa</h1>" in page and "CSRF" not in page
    assert "/static/sigap/portal.css" in page  # a reporter's form: the reporter's layout
    officer = Client(enforce_csrf_checks=True)
    assert officer.login(username=make_user(agency_a, Role.VERIFIKATOR).username, password=PASSWORD)
    expired = officer.post("/kasus/", {"q": "x"})
    assert expired.status_code == 403
    assert "/static/sigap/app.css" in expired.content.decode() and "Log out" not in expired.content.decode()
    assert "Keluar" in expired.content.decode()  # the officer's own header, with the way out


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


def test_staff_without_agency_has_no_case_or_vault_links(db) -> None:
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    client = Client()
    client.login(username="admin", password=PASSWORD)
    page = client.get("/kasus/")  # no queue for them: said so, with the admin link only
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/admin/"' in html and 'href="/kasus/"' not in html and VAULT_LINK not in html
