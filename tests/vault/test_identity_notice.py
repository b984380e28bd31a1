"""The reporter told that their identity was disclosed is the one whose identity it was, wherever their
report has gone since the request (a merge moves it to another case)."""

from __future__ import annotations

import secrets

import pytest

from sigap.cases.actions.transitions import do_transition
from sigap.intake.portal.actions import submit_portal_report
from sigap.reporters.models import Message, MessageKind, Reporter
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.permissions import Role
from sigap.vault import actions as vault
from sigap.vault import identity
from tests.conftest import incoming, make_user

pytestmark = pytest.mark.django_db
CUSTODIAN_PASS = "kunci-kustodian-satu"
OFFICER_PASS = "kunci-petugas-telaah"
REASON = "Perlu klarifikasi langsung dengan pelapor untuk telaah."


@pytest.fixture
def vault_a(agency_a, cheap_portal):  # type: ignore[no-untyped-def]
    cheap_portal.SIGAP_VAULT_KDF = "interactive"
    custodian = make_user(agency_a, Role.CUSTODIAN)
    vault.ensure_custodian_key(custodian, CUSTODIAN_PASS)
    officer = make_user(agency_a, Role.PENELAAH)
    vault.ensure_officer_key(officer, OFFICER_PASS)
    return actor_for(custodian, agency_a), actor_for(officer, agency_a)


def _portal_report(instansi):  # type: ignore[no-untyped-def]
    return submit_portal_report(
        actor=system_actor(instansi), incoming=incoming(), form_token=secrets.token_hex(8)
    ).report


def _with_identity(agency, report) -> None:  # type: ignore[no-untyped-def]
    Reporter.objects.filter(pk=report.reporter_id).update(
        identity_sealed=identity.seal_identity(instansi=agency, identity={"name": "Siti"})
    )


def _merge(boss, source_case_id: int, target_case_id: int) -> None:  # type: ignore[no-untyped-def]
    do_transition(actor=boss, case_id=source_case_id, name="start_verification")
    do_transition(actor=boss, case_id=source_case_id, name="merge_duplicate", data={"target_case": target_case_id})


def _notices(reporter) -> list[Message]:  # type: ignore[no-untyped-def]
    return list(Message.objects.filter(reporter=reporter, kind=MessageKind.STATUS))


def test_only_the_reporter_whose_identity_was_disclosed_is_told(
    agency_a, boss_a, vault_a, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    custodian, officer = vault_a
    mine, other = _portal_report(agency_a), _portal_report(agency_a)
    _with_identity(agency_a, mine)
    _merge(boss_a, other.case_id, mine.case_id)  # another reporter now shares the case
    request = vault.request_identity(actor=officer, report_id=mine.pk, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        vault.approve_identity_request(actor=custodian, request_id=request.pk, passphrase=CUSTODIAN_PASS)
    assert len(_notices(mine.reporter)) == 1
    assert _notices(other.reporter) == []


def test_the_notice_follows_a_report_merged_after_the_request(
    agency_a, boss_a, vault_a, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    custodian, officer = vault_a
    first, mine = _portal_report(agency_a), _portal_report(agency_a)
    _with_identity(agency_a, mine)
    request = vault.request_identity(actor=officer, report_id=mine.pk, reason=REASON)
    _merge(boss_a, mine.case_id, first.case_id)  # the request's case is left without reports
    with django_capture_on_commit_callbacks(execute=True):
        vault.approve_identity_request(actor=custodian, request_id=request.pk, passphrase=CUSTODIAN_PASS)
    assert len(_notices(mine.reporter)) == 1
    assert _notices(first.reporter) == []
