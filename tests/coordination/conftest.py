"""A case of agency A referred, at verification, to agency B: the start of every referral test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Case
from sigap.coordination.models import Referral
from sigap.tenants.access import Actor, system_actor
from sigap.tenants.models import Instansi

REASON = "Pelakunya pegawai kota, bukan pegawai provinsi: kewenangan inspektorat kota."


def refer(boss: Actor, case: Case, target: Instansi, reason: str = REASON) -> Referral:
    """Verification finds the case to be `target`'s: refer it there."""
    do_transition(actor=boss, case_id=case.pk, name="start_verification")
    do_transition(
        actor=boss,
        case_id=case.pk,
        name="refer_not_authority",
        data={"target_instansi": str(target.pk), "reason": reason},
    )
    return Referral.objects.get(from_case=case, instansi=target)


@pytest.fixture
def referral(agency_a, agency_b, boss_a, submit: Callable[..., object]) -> Referral:  # type: ignore[no-untyped-def]
    return refer(boss_a, submit(system_actor(agency_a)).case, agency_b)  # type: ignore[attr-defined]
