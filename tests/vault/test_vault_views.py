from __future__ import annotations

import pytest
from django.test import Client

from sigap.reporters.models import Reporter
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from sigap.vault import actions
from sigap.vault.identity import seal_identity
from sigap.vault.models import IdentityRequest, PersonalKey, RequestStatus
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
NAME = "Nama Pelapor Tersegel"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def setup(agency_a, submit):  # type: ignore[no-untyped-def]
    custodian = make_user(agency_a, Role.CUSTODIAN)
    officer = make_user(agency_a, Role.PENELAAH)
    actions.ensure_custodian_key(custodian, "frasa-kustodian-1")
    actions.ensure_officer_key(officer, "frasa-petugas-111")
    report = submit(system_actor(agency_a), anonymity="confidential")
    Reporter.objects.filter(pk=report.reporter_id).update(
        identity_sealed=seal_identity(instansi=agency_a, identity={"name": NAME})
    )
    return custodian, officer, report


def test_key_setup_page(agency_a):  # type: ignore[no-untyped-def]
    user = make_user(agency_a, Role.CUSTODIAN)
    c = client_for(user)
    assert c.get("/brankas/kunci/").status_code == 200
    r = c.post("/brankas/kunci/", {"passphrase": "frasa-baru-panjang", "confirm": "lain"})
    assert r.status_code == 400 and not PersonalKey.objects.filter(user=user).exists()
    r = c.post("/brankas/kunci/", {"passphrase": "frasa-baru-panjang", "confirm": "frasa-baru-panjang"})
    assert r.status_code == 302 and PersonalKey.objects.filter(user=user).exists()


def test_flow_through_pages(setup):  # type: ignore[no-untyped-def]
    custodian, officer, report = setup
    oc, cc = client_for(officer), client_for(custodian)
    assert b"Request the reporter" in oc.get(f"/kasus/{report.case_id}/").content
    r = oc.post(
        f"/brankas/laporan/{report.pk}/minta/", {"reason": "Perlu klarifikasi langsung dengan pelapor."}
    )
    assert r.status_code == 302
    req = IdentityRequest.objects.get()
    page = cc.get(f"/brankas/permintaan/{req.pk}/")
    assert page.status_code == 200 and NAME.encode() not in page.content
    assert (
        cc.post(f"/brankas/permintaan/{req.pk}/setujui/", {"passphrase": "salah-salah-salah"}).status_code
        == 400
    )
    assert (
        cc.post(f"/brankas/permintaan/{req.pk}/setujui/", {"passphrase": "frasa-kustodian-1"}).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    r = oc.post(f"/brankas/permintaan/{req.pk}/buka/", {"passphrase": "frasa-petugas-111"})
    assert r.status_code == 200 and NAME.encode() in r.content
    assert f"<dt>Name</dt><dd>{NAME}</dd>".encode() in r.content  # the part by its label, not its key
    assert "no-store" in r["Cache-Control"]
    # the custodian's page never shows it; the officer's page shows it only after the passphrase
    assert NAME.encode() not in cc.get(f"/brankas/permintaan/{req.pk}/").content
    assert NAME.encode() not in oc.get(f"/brankas/permintaan/{req.pk}/").content


def test_cross_agency_pages_404(setup, agency_b):  # type: ignore[no-untyped-def]
    custodian, officer, report = setup
    req = actions.request_identity(
        actor=__import__("sigap.tenants.access", fromlist=["actor_for"]).actor_for(officer, report.instansi),
        report_id=report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor.",
    )
    other_custodian = make_user(agency_b, Role.CUSTODIAN)
    actions.ensure_custodian_key(other_custodian, "frasa-kustodian-b")
    other_officer = make_user(agency_b, Role.SUPERVISOR)
    for user in (other_custodian, other_officer):
        c = client_for(user)
        assert c.get(f"/brankas/permintaan/{req.pk}/").status_code == 404
        assert (
            c.post(f"/brankas/permintaan/{req.pk}/setujui/", {"passphrase": "frasa-kustodian-b"}).status_code
            == 404
        )
        assert c.post(f"/brankas/permintaan/{req.pk}/tolak/", {"reason": "x"}).status_code == 404
        assert c.post(f"/brankas/permintaan/{req.pk}/buka/", {"passphrase": "x"}).status_code == 404
        assert c.get(f"/brankas/laporan/{report.pk}/minta/").status_code == 404
    assert IdentityRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING


@pytest.mark.parametrize("role", [Role.ANALYST, Role.HUB_MONITOR])
def test_roles_without_the_vault_cannot_set_up_a_key(agency_a, role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(agency_a, role)
    c = client_for(user)
    assert c.get("/brankas/kunci/").status_code == 404
    r = c.post("/brankas/kunci/", {"passphrase": "frasa-baru-panjang", "confirm": "frasa-baru-panjang"})
    assert r.status_code == 404 and not PersonalKey.objects.filter(user=user).exists()
