"""A report taken on the phone, in the browser: the verification officer fills in the form, saves
it, reads the receipt once; the caller opens the mailbox with it and confirms the transcript."""

from __future__ import annotations

from typing import Any

import pytest

from sigap.cases.models import Channel, Report
from sigap.reporters.models import Message, MessageKind
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _portal_settings(cheap_portal):  # type: ignore[no-untyped-def]
    return cheap_portal


def test_record_a_phone_report_and_the_caller_confirms_it(live_server, browser, agency_a) -> None:  # type: ignore[no-untyped-def]
    make_user(agency_a, Role.VERIFIKATOR, username="verifikator-a")
    base = live_server.url
    officer = browser.new_context(
        locale="en-US"
    ).new_page()  # English: the assertions read the source strings
    blocked: list[str] = []
    officer.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    officer.goto(f"{base}/accounts/login/")
    officer.fill("#id_username", "verifikator-a")
    officer.fill("#id_password", PASSWORD)
    officer.click("form:has(#id_username) button[type=submit]")
    officer.wait_for_load_state()
    officer.click("a:has-text('Record a report')")
    officer.wait_for_load_state()
    assert officer.input_value("#id_channel") == "phone" and officer.input_value("#id_received_at")
    officer.fill("#id_what", "Penelepon: kepala desa memotong dana BLT Rp 300.000 per keluarga.")
    officer.fill("#id_who_0_position", "Kepala desa")
    officer.fill("#id_where", "Desa Sukajaya")
    officer.click("button:has-text('Save the report')")
    officer.wait_for_load_state()
    assert "Report recorded" in officer.inner_text("h1")
    receipt = "".join(officer.inner_text(".receipt").split())
    assert len(receipt) == 16 and receipt.isdigit()
    report = Report.objects.get()
    assert report.channel == Channel.PHONE and report.instansi_id == agency_a.pk
    officer.reload()
    assert receipt not in officer.content()  # shown once
    assert blocked == []

    caller: Any = browser.new_context(locale="en-US").new_page()
    caller.goto(f"{base}/kotak-surat/")
    caller.fill("#id_receipt", receipt)
    caller.click("button.primary")  # the browser computes the proof of work
    caller.wait_for_selector("#status-title", timeout=20_000)
    assert "memotong dana BLT" in caller.content()
    caller.click("button:has-text('Yes, it is correct')")
    caller.wait_for_load_state()
    assert Message.objects.filter(kind=MessageKind.TRANSCRIPT_CONFIRMATION, report=report).exists()
