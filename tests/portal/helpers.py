"""Helpers for driving the portal and the mailbox through Django's test client, like a browser."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from sigap.reporters import pow

_INPUT = re.compile(r'<input[^>]*name="(?P<name>[^"]+)"[^>]*>')


def hidden_value(page: str, name: str) -> str:
    for match in _INPUT.finditer(page):
        if match.group("name") == name:
            value = re.search(r'value="([^"]*)"', match.group(0))
            return html.unescape(value.group(1)) if value else ""
    raise AssertionError(f"no input {name!r} in the page")


def report_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "what": "Petugas loket meminta Rp 150.000 untuk mempercepat KTP elektronik.",
        "title": "Pungli KTP di kelurahan",
        "who_0_name": "Budi",
        "who_0_position": "Lurah",
        "who_0_institution": "Kelurahan Sukamaju",
        "where": "Kantor Kelurahan Sukamaju",
        "when": "Maret 2026",
        "how": "Diminta tunai di loket",
        "how_much": "Rp 150.000",
        "anonymity": "anonymous",
    }
    fields.update(overrides)
    return fields


def form_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return hidden_value(page.content.decode(), "form_token")


def submit_report(
    client: Client, url: str, *, token: str | None = None, files: list[Any] | None = None, **overrides: Any
) -> Any:
    data = report_fields(**overrides)
    data["form_token"] = token or form_token(client, url)
    if files:
        data["evidence"] = files
    return client.post(url, data)


def receipt_from(page: str) -> str:
    match = re.search(r'class="receipt"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no receipt on the page"
    digits = re.sub(r"\D", "", re.sub(r"<[^>]+>", "", match.group(1)))
    assert len(digits) == 16, digits
    return digits


def submit_and_get_receipt(client: Client, url: str, **overrides: Any) -> str:
    response = submit_report(client, url, **overrides)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return receipt_from(page.content.decode())


def login(client: Client, receipt: str, passphrase: str = "", *, solve: bool = True) -> Any:
    page = client.get("/kotak-surat/").content.decode()
    challenge = hidden_value(page, "pow_challenge")
    nonce = pow.solve(challenge) if solve else ""
    return client.post(
        "/kotak-surat/masuk/",
        {"receipt": receipt, "passphrase": passphrase, "pow_challenge": challenge, "pow_nonce": nonce},
    )
