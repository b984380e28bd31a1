from __future__ import annotations

import pytest
from django.test import Client

from sigap.cases.models import Report
from tests.portal.helpers import login, submit_and_get_receipt

pytestmark = pytest.mark.django_db


def test_smoke(agency_a, hub) -> None:
    client = Client()
    receipt = submit_and_get_receipt(client, "/prov-a/lapor/")
    assert Report.objects.count() == 1
    r = login(Client(), receipt)
    assert r.status_code == 302, r.content.decode()[:2000]
