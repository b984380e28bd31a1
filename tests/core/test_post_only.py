"""Officers' form targets take POST only; a GET on one goes back to the page the form lives on."""

from __future__ import annotations

import pytest
from django.test import Client

from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_get_on_a_form_target_goes_back_to_its_page(agency_a, submit) -> None:
    report = submit(system_actor(agency_a))
    case = report.case_id
    user = make_user(agency_a, Role.VERIFIKATOR, Role.CUSTODIAN)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    for target, page in (
        (f"/kasus/{case}/step/start_verification/", f"/kasus/{case}/"),
        (f"/kasus/{case}/kategori/", f"/kasus/{case}/"),
        (f"/kasus/{case}/duplikat/1/", f"/kasus/{case}/"),
        (f"/kasus/{case}/pesan-pelapor/", f"/kasus/{case}/"),
        ("/kasus/instansi/", "/kasus/"),
        ("/brankas/kebijakan/", "/brankas/"),
        ("/brankas/permintaan/7/setujui/", "/brankas/permintaan/7/"),
    ):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"] == page, target
        assert client.put(target).status_code == 405, target
    # Nothing happened on the way: the case is still where it was.
    report.case.refresh_from_db()
    assert report.case.status == "received"
