"""Referrals in the demo: the demo data marks cases as referred to another agency without handing
them over (it writes in bulk, without the workflow). This hands the recent ones over through the real
actions, so that "Referrals in" and the hub's monitor have something to show: most wait for an
answer (some past their due date), a few were answered today."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from sigap.cases import sla
from sigap.cases.models import Case
from sigap.cases.workflow import State
from sigap.coordination.actions import accept_referral, decline_referral, send_referral
from sigap.coordination.models import Referral
from sigap.core import clock
from sigap.tenants.access import system_actor

REASON = "Terlapor adalah pegawai instansi tujuan; penanganannya menjadi kewenangan instansi tersebut."
DECLINE = "Terlapor bukan pegawai kami; mohon dilimpahkan kepada instansi yang membawahinya."
WITHIN_DAYS = 30
AT_LEAST = 2  # referrals handed to each agency that was referred cases, even outside the window


def hand_over_demo_referrals(seed: int = 2026, now: dt.datetime | None = None) -> int:
    """Hands over the cases referred to another agency in the `WITHIN_DAYS` days before `now` that
    have no referral yet, and at least the `AT_LEAST` latest of every agency that has none in that
    window; returns how many. Run again, it finds none."""
    rng = random.Random(seed)
    now = now or clock.now()
    since = now - dt.timedelta(days=WITHIN_DAYS)
    referred = (
        Case.objects.filter(status=State.REFERRED, referred_to__isnull=False)
        .exclude(pk__in=Referral.objects.values("from_case_id"))
        .select_related("instansi", "referred_to")
    )
    cases = list(referred.filter(status_changed_at__gte=since))
    # Every agency that was referred cases has some in its inbox, however the demo's dates fell: an
    # agency with none in the window gets its latest ones (past their due date by now).
    served = {c.referred_to_id for c in cases} | set(Referral.objects.values_list("instansi_id", flat=True))
    for target_id in sorted(set(referred.values_list("referred_to_id", flat=True)) - served):
        latest = referred.filter(referred_to_id=target_id).order_by("-status_changed_at", "-pk")
        cases += list(latest[:AT_LEAST])
    cases.sort(key=lambda c: (c.status_changed_at, c.pk))
    for case in cases:
        target = case.referred_to
        if target is None:  # filtered out above; for the type checker
            continue
        with transaction.atomic():
            referral = send_referral(
                actor=system_actor(case.instansi),
                case=case,
                target=target,
                step="refer_external",
                reason=REASON,
            )
            # sent when the demo case was referred, due 5 working days later
            sent = case.status_changed_at
            due = sla.due_at("referral_answer", sent, tz=target.timezone)
            Referral.objects.filter(pk=referral.pk).update(sent_at=sent, answer_due_at=due)
        if (now - sent).days < 10 or rng.random() < 0.5:
            continue  # waits for an answer
        receiver = system_actor(target)
        if rng.random() < 0.75:
            accept_referral(actor=receiver, referral_id=referral.pk)
        else:
            decline_referral(actor=receiver, referral_id=referral.pk, reason=DECLINE)
    return len(cases)
