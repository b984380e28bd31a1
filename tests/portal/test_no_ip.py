"""Reporter addresses are never stored or logged: not by the portal, the mailbox, nor Django's
request and security loggers (404s, CSRF failures, bad hosts)."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

from sigap.reporters import pow
from tests.portal.helpers import hidden_value, submit_and_get_receipt

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"


def all_database_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("regions_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    chunks.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
    return "\n".join(chunks)


def test_no_address_in_logs_or_database(agency_a, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.security", "django.security.csrf", "sigap", ""):
        logging.getLogger(name).setLevel(logging.DEBUG)
    headers = {
        "REMOTE_ADDR": ADDRESS,
        "HTTP_X_FORWARDED_FOR": f"{FORWARDED}, {ADDRESS}",
        "HTTP_X_REAL_IP": ADDRESS,
    }
    client = Client(**headers)
    receipt = submit_and_get_receipt(client, "/prov-a/lapor/")
    page = client.get("/kotak-surat/").content.decode()
    challenge = hidden_value(page, "pow_challenge")
    client.post(
        "/kotak-surat/masuk/",
        {"receipt": "0000000000000000", "pow_challenge": challenge, "pow_nonce": pow.solve(challenge)},
    )
    challenge = hidden_value(client.get("/kotak-surat/").content.decode(), "pow_challenge")
    ok = client.post(
        "/kotak-surat/masuk/",
        {"receipt": receipt, "pow_challenge": challenge, "pow_nonce": pow.solve(challenge)},
    )
    assert ok.status_code == 302
    client.post("/kotak-surat/tulis/", {"body": "pertanyaan"})
    client.get("/tidak-ada/lapor/")  # django.request: Not Found
    Client(enforce_csrf_checks=True, **headers).post("/lapor/", {})  # django.security.csrf: Forbidden
    Client(**headers).get("/kotak-surat/", HTTP_HOST="evil.example")  # django.security.DisallowedHost
    logged = "\n".join(f"{r.name} {r.levelname} {r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "expected some log output to inspect"
    assert ADDRESS not in logged and FORWARDED not in logged
    stored = all_database_text()
    assert ADDRESS not in stored and FORWARDED not in stored
