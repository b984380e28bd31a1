"""Every action the audit trail records has words for the case history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from sigap.audit.labels import ACTIONS, action_label
from sigap.cases.workflow import TRANSITIONS
from sigap.reporters.mailbox import OFFICER_KINDS
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from sigap.triage.actions import triage_report
from tests.conftest import PASSWORD, make_user

SOURCE = Path(__file__).resolve().parents[2] / "sigap"


def _recorded_actions() -> set[str]:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', text))
        codes |= set(re.findall(r'"(triage\.duplicate_(?:confirmed|rejected))"', text))
    return codes


def test_every_recorded_action_and_step_has_words() -> None:
    codes = _recorded_actions() | {f"case.{name}" for name in TRANSITIONS}
    codes |= {f"mailbox.officer_{kind}" for kind in OFFICER_KINDS}
    assert len(codes) > 30
    with translation.override("id"):
        missing = {code for code in codes if action_label(code) == code}
    # Actions about keys, policies and maintenance never reach a case's history.
    assert missing <= {c for c in codes if c.startswith(("vault.", "evidence.orphans"))}, missing
    assert action_label("some.unknown_code") == "some.unknown_code"
    with translation.override("id"):
        assert str(ACTIONS["report.triaged"]) == "Laporan dibaca oleh triase"


@pytest.mark.django_db
def test_the_case_history_reads_in_words(agency_a, submit) -> None:
    report = submit(system_actor(agency_a))
    triage_report(report_id=report.pk)
    officer = make_user(agency_a, Role.VERIFIKATOR)
    client = Client()
    assert client.login(username=officer.username, password=PASSWORD)
    page = client.get(f"/kasus/{report.case_id}/").content.decode()
    assert "Laporan diterima" in page and "Laporan dibaca oleh triase" in page
    assert "report.submitted" not in page and "report.triaged" not in page
