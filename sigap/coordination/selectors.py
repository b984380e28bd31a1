"""Reads about referrals, each for one side: the receiving agency's inbox and dossiers, the referring
agency's view from its case, the hub monitor's overview (states and deadlines, never contents)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import models as db
from django.db.models import IntegerField, Q, Value, When

from sigap.cases.content import PURPOSE_NOTE, open_text
from sigap.cases.models import Case, CaseNote, Deadline
from sigap.cases.workflow import state_label
from sigap.coordination.dossier import Dossier, open_dossier
from sigap.coordination.models import Referral, ReferralStatus
from sigap.core import clock
from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

PAGE_SIZE = 50


def incoming_referrals(*, actor: Actor, status: str | None = ReferralStatus.SENT, page: int = 1) -> Page:
    """Referrals to the actor's agency: those waiting for an answer by their due date, the answered
    ones newest first."""
    if not actor.can(Cap.CASE_LIST):
        raise NotFound("not found")
    qs = Referral.objects.filter(instansi_id=actor.instansi.pk).select_related(
        "from_instansi", "accepted_case"
    )
    if status:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        waiting=db.Case(
            When(status=ReferralStatus.SENT, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("waiting", "answer_due_at", "-answered_at", "-pk")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def waiting_count(*, actor: Actor) -> int:
    if not actor.can(Cap.CASE_LIST):
        return 0
    return Referral.objects.filter(instansi_id=actor.instansi.pk, status=ReferralStatus.SENT).count()


def dossier_of(*, actor: Actor, referral: Referral) -> Dossier | None:
    """The referral's contents, for a role that reads report contents; None for the others."""
    if referral.instansi_id != actor.instansi.pk:
        raise NotFound("not found")
    return open_dossier(referral) if actor.can(Cap.CASE_READ) else None


@dataclass
class Outgoing:
    """A referral as the referring agency sees it: where it stands, never what is done with it."""

    referral: Referral
    receiver_state: str = ""  # the state of the case it became there
    receiver_next_due: dt.datetime | None = None  # the next deadline that case owes
    decline_reason: str = ""

    @property
    def overdue(self) -> bool:
        return self.referral.status == ReferralStatus.SENT and self.referral.answer_due_at < clock.now()


def referrals_of_case(*, actor: Actor, case: Case) -> list[Outgoing]:
    """The referrals the actor's agency made of `case`, oldest first."""
    if case.instansi_id != actor.instansi.pk:
        raise NotFound("not found")
    referrals = list(
        Referral.objects.filter(from_instansi_id=actor.instansi.pk, from_case=case)
        .select_related("instansi", "accepted_case")
        .order_by("sent_at", "pk")
    )
    notes = {
        n.pk: n
        for n in CaseNote.objects.filter(
            instansi_id=actor.instansi.pk, pk__in=[r.decline_note_id for r in referrals if r.decline_note_id]
        )
    }
    out = []
    for r in referrals:
        item = Outgoing(referral=r)
        if r.accepted_case is not None:
            item.receiver_state = state_label(r.accepted_case.status, r.instansi.state_labels)
            item.receiver_next_due = next_due(r.accepted_case)
        note = notes.get(r.decline_note_id or 0)
        if note is not None and actor.can(Cap.CASE_READ):
            item.decline_reason = open_text(note.instansi_id, note.text_sealed, purpose=PURPOSE_NOTE)
        out.append(item)
    return out


def next_due(case: Case) -> dt.datetime | None:
    """The earliest open deadline of a case (a date, shown to the other agency: no content)."""
    return (
        Deadline.objects.filter(instansi_id=case.instansi_id, case=case, met_at__isnull=True)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def monitor_page(*, actor: Actor, status: str | None = None, overdue: bool = False, page: int = 1) -> Page:
    """Every referral between agencies, for the hub's monitor: who referred to whom, when, by when it
    must be answered, and the answer. No content, no reason."""
    if not actor.can(Cap.HUB_MONITOR):
        raise NotFound("not found")
    qs = Referral.objects.select_related("instansi", "from_instansi", "accepted_case")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ReferralStatus.SENT, answer_due_at__lt=clock.now())
    return Paginator(qs.order_by("-sent_at", "-pk"), PAGE_SIZE).get_page(page)


def monitor_counts(*, actor: Actor) -> dict[str, int]:
    if not actor.can(Cap.HUB_MONITOR):
        raise NotFound("not found")
    waiting = Q(status=ReferralStatus.SENT)
    return {
        "waiting": Referral.objects.filter(waiting).count(),
        "overdue": Referral.objects.filter(waiting, answer_due_at__lt=clock.now()).count(),
        "accepted": Referral.objects.filter(status=ReferralStatus.ACCEPTED).count(),
        "declined": Referral.objects.filter(status=ReferralStatus.DECLINED).count(),
    }


def linked_case_ids(case_id: int) -> set[int]:
    """The cases one referral ties to `case_id` (the referred case and the case it became): one
    matter, known to both agencies, never a duplicate to tell them about. For triage."""
    linked: set[int] = set()
    for a, b in Referral.objects.filter(
        Q(from_case_id=case_id) | Q(accepted_case_id=case_id), accepted_case__isnull=False
    ).values_list("from_case_id", "accepted_case_id"):
        linked.update((a, b))
    linked.discard(case_id)
    return linked
