"""Reads about referrals, each for one side: the receiving agency's inbox and dossiers, the referring
agency's view from its case, the hub monitor's overview (states and deadlines, never contents)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models as db
from django.db.models import Count, IntegerField, Min, Q, QuerySet, Value, When

from sigap.cases.content import PURPOSE_NOTE, open_text
from sigap.cases.models import Case, CaseNote, Deadline
from sigap.cases.workflow import OPEN_STATES, TRANSITIONS, state_label
from sigap.coordination.access import access_referral, may_monitor_hub
from sigap.coordination.dossier import Dossier, open_dossier
from sigap.coordination.models import Referral, ReferralStatus
from sigap.core import clock
from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.models import Instansi
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
    """The referral's contents, for a role that reads report contents and while the referral is not
    declined or withdrawn (it then keeps no contents); None otherwise."""
    if referral.instansi_id != actor.instansi.pk:
        raise NotFound("not found")
    if not actor.can(Cap.CASE_READ) or referral.status in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        return None
    return open_dossier(referral)


@dataclass
class Outgoing:
    """A referral as the referring agency sees it: where it stands, never what is done with it."""

    referral: Referral
    receiver_case_number: str = ""  # the case it became there (or that one was merged into)
    receiver_state: str = ""  # that case's state
    receiver_next_due: dt.datetime | None = None  # the next deadline that case owes
    decline_reason: str = ""
    may_withdraw: bool = False  # waiting, and the actor may refer the way it was referred

    @property
    def overdue(self) -> bool:
        return self.referral.overdue


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
        item.may_withdraw = r.status == ReferralStatus.SENT and actor.can(TRANSITIONS[r.step].capability)
        if r.accepted_case is not None:
            there = final_case(r.accepted_case)  # the case it became may since be merged into another
            item.receiver_case_number = there.number
            item.receiver_state = state_label(there.status, r.instansi.state_labels)
            item.receiver_next_due = next_due(there)
        note = notes.get(r.decline_note_id or 0)
        if note is not None and actor.can(Cap.CASE_READ):
            item.decline_reason = open_text(note.instansi_id, note.text_sealed, purpose=PURPOSE_NOTE)
        out.append(item)
    return out


def files_left_behind(*, actor: Actor, referral_id: int | str) -> int:
    """How many files of an accepted referral could not be copied (the referring agency has them)."""
    return access_referral(actor, referral_id).files_not_copied


def referral_into(*, actor: Actor, case: Case) -> Referral | None:
    """The referral that `case`, a case of the actor's agency, was opened from, if any."""
    if case.instansi_id != actor.instansi.pk:
        raise NotFound("not found")
    return (
        Referral.objects.filter(instansi_id=actor.instansi.pk, accepted_case=case)
        .select_related("from_instansi")
        .first()
    )


def next_due(case: Case) -> dt.datetime | None:
    """The earliest open deadline of a case (a date, shown to the other agency: no content)."""
    return (
        Deadline.objects.filter(instansi_id=case.instansi_id, case=case, met_at__isnull=True)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def _require_hub_monitor(actor: Actor) -> None:
    if not may_monitor_hub(actor):
        raise NotFound("not found")


def _between_connected() -> QuerySet[Referral]:
    """Referrals between agencies connected to the hub (the hub's own among them): an agency that is
    not connected keeps even its referrals' dates to itself."""
    return Referral.objects.filter(instansi__connected_to_hub=True, from_instansi__connected_to_hub=True)


def monitor_page(*, actor: Actor, status: str | None = None, overdue: bool = False, page: int = 1) -> Page:
    """Every referral between connected agencies, for the hub's monitor: who referred to whom, when,
    by when it must be answered, and the answer. No content, no reason."""
    _require_hub_monitor(actor)
    qs = _between_connected().select_related("instansi", "from_instansi", "accepted_case")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ReferralStatus.SENT, answer_due_at__lt=clock.now())
    return Paginator(qs.order_by("-sent_at", "-pk"), PAGE_SIZE).get_page(page)


def monitor_counts(*, actor: Actor) -> dict[str, int]:
    _require_hub_monitor(actor)
    waiting = Q(status=ReferralStatus.SENT)
    return _between_connected().aggregate(
        waiting=Count("id", filter=waiting),
        overdue=Count("id", filter=waiting & Q(answer_due_at__lt=clock.now())),
        accepted=Count("id", filter=Q(status=ReferralStatus.ACCEPTED)),
        declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
        withdrawn=Count("id", filter=Q(status=ReferralStatus.WITHDRAWN)),
    )


MERGE_DEPTH = 10  # merges chain rarely more than once or twice; a longer chain is cut here


def final_case(case: Case) -> Case:
    """The case that `case` was merged into, and so on, to the one that holds its reports now."""
    for _step in range(MERGE_DEPTH):
        if case.merged_into_id is None:
            break
        case = Case.objects.get(pk=case.merged_into_id)
    return case


def _merged_into(case_ids: set[int]) -> set[int]:
    """`case_ids` and every case merged into one of them, directly or through others."""
    found, frontier = set(case_ids), set(case_ids)
    for _step in range(MERGE_DEPTH):
        frontier = set(Case.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - found
        if not frontier:
            break
        found |= frontier
    return found


def linked_case_ids(case_id: int) -> set[int]:
    """The cases that an accepted referral ties to `case_id`: the referred case and the case it
    became, following merges on both sides. One matter, known to both agencies, never a duplicate to
    tell them about. For triage, which acts for the system, not for an officer."""
    mine = _merged_into({case_id})
    linked: set[int] = set()
    for from_id, accepted_id in Referral.objects.filter(
        Q(from_case_id__in=mine) | Q(accepted_case_id__in=mine), accepted_case__isnull=False
    ).values_list("from_case_id", "accepted_case_id"):
        for other in (from_id, accepted_id):
            linked |= _merged_into({other}) | {final_case(Case.objects.get(pk=other)).pk}
    return linked - {case_id}


@dataclass
class AgencyRow:
    """One agency as the hub's monitor sees it: counts and dates, never a case's content."""

    instansi: Instansi
    open_cases: int = 0
    received_30_days: int = 0
    overdue: dict[str, int] = field(default_factory=dict)  # deadline kind -> open deadlines past due
    oldest_overdue: dt.datetime | None = None
    referrals_waiting: int = 0  # referrals to this agency it has not answered
    referrals_late: int = 0  # of those, past their answer date

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())


def agency_overview(*, actor: Actor) -> list[AgencyRow]:
    """Every active agency connected to the hub, with its open cases and the deadlines it has let pass
    (acknowledge, verify, answer, feedback), the most overdue first: where the hub should ask."""
    _require_hub_monitor(actor)
    now = clock.now()
    rows = {i.pk: AgencyRow(instansi=i) for i in Instansi.objects.filter(active=True, connected_to_hub=True)}
    ids = list(rows)
    open_states = [s.value for s in OPEN_STATES]
    for pk, n in (
        Case.objects.filter(instansi_id__in=ids, status__in=open_states)
        .values_list("instansi_id")
        .annotate(n=Count("id"))
    ):
        rows[pk].open_cases = n
    for pk, n in (
        Case.objects.filter(instansi_id__in=ids, received_at__gte=now - dt.timedelta(days=30))
        .values_list("instansi_id")
        .annotate(n=Count("id"))
    ):
        rows[pk].received_30_days = n
    late = Deadline.objects.filter(instansi_id__in=ids, met_at__isnull=True, due_at__lt=now)
    by_kind = late.values_list("instansi_id", "kind").annotate(n=Count("id"), oldest=Min("due_at"))
    for pk, kind, n, oldest in by_kind:
        row = rows[pk]
        row.overdue[kind] = n
        row.oldest_overdue = min(filter(None, (row.oldest_overdue, oldest)))
    waiting = _between_connected().filter(instansi_id__in=ids, status=ReferralStatus.SENT)
    for pk, n, n_late in waiting.values_list("instansi_id").annotate(
        n=Count("id"), n_late=Count("id", filter=Q(answer_due_at__lt=now))
    ):
        rows[pk].referrals_waiting, rows[pk].referrals_late = n, n_late
    return sorted(
        rows.values(),
        key=lambda r: (-(r.overdue_total + r.referrals_late), -r.open_cases, r.instansi.name),
    )
