"""Two officers answering one referral, or referring one case, at the same moment, in real concurrent
transactions (PostgreSQL only; see tests/triage/test_decisions_at_once.py for how they interleave)."""

from __future__ import annotations

import pytest

from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Case
from sigap.coordination.actions import accept_referral, decline_referral
from sigap.coordination.models import Referral, ReferralStatus
from sigap.core.errors import InvalidTransition
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.triage.test_decisions_at_once import _first_holds_open, _postgres_only  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db(transaction=True)


def _verifying(agency, boss, submit) -> Case:  # type: ignore[no-untyped-def]
    case = submit(system_actor(agency)).case
    do_transition(actor=boss, case_id=case.pk, name="start_verification")
    return case


def test_accept_and_decline_at_once_one_answers(referral, agency_b, actor_of) -> None:  # type: ignore[no-untyped-def]
    one, other = actor_of(agency_b, Role.VERIFIKATOR), actor_of(agency_b, Role.SUPERVISOR)

    accepted, declined = _first_holds_open(
        lambda: accept_referral(actor=one, referral_id=referral.pk),
        lambda: decline_referral(actor=other, referral_id=referral.pk, reason="bukan kami"),
    )

    assert isinstance(accepted, Case)
    assert isinstance(declined, InvalidTransition)  # told it was answered meanwhile
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.decline_note_id is None
    assert Case.objects.filter(instansi=agency_b).count() == 1


def test_one_case_is_referred_to_one_agency_at_a_time(
    agency_a, agency_b, hub, boss_a, submit, actor_of
) -> None:  # type: ignore[no-untyped-def]
    case = _verifying(agency_a, boss_a, submit)
    colleague = actor_of(agency_a, Role.SUPERVISOR)

    first, second = _first_holds_open(
        lambda: do_transition(
            actor=boss_a,
            case_id=case.pk,
            name="refer_not_authority",
            data={"target_instansi": str(agency_b.pk), "reason": "kewenangan kota"},
        ),
        lambda: do_transition(
            actor=colleague,
            case_id=case.pk,
            name="refer_external",
            data={"target_instansi": str(hub.pk), "reason": "kewenangan KPK"},
        ),
    )

    assert isinstance(first, Case)
    assert isinstance(second, InvalidTransition)
    assert agency_b.name in second.message  # the case waits for agency B's answer
    assert list(Referral.objects.values_list("instansi_id", flat=True)) == [agency_b.pk]


def test_withdraw_and_decline_at_once_one_ends_it(referral, agency_b, boss_a, actor_of) -> None:  # type: ignore[no-untyped-def]
    from sigap.coordination.actions import withdraw_referral

    officer_b = actor_of(agency_b, Role.VERIFIKATOR)
    withdrawn, declined = _first_holds_open(
        lambda: withdraw_referral(actor=boss_a, case_id=referral.from_case_id, referral_id=referral.pk),
        lambda: decline_referral(actor=officer_b, referral_id=referral.pk, reason="bukan kami"),
    )
    assert isinstance(withdrawn, Referral)
    assert isinstance(declined, InvalidTransition)  # told it was withdrawn meanwhile, not a deadlock
    assert declined.message in {
        "The referring agency has withdrawn this referral.",
        "Instansi pelimpah telah menarik pelimpahan ini.",
    }
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.decline_note_id is None
