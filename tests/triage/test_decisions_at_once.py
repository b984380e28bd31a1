"""Two officers acting on one duplicate at the same moment, in real concurrent transactions.

PostgreSQL only: SQLite serialises every writing transaction, so the interleaving cannot happen there.
Each officer works in a thread of their own with a database connection of their own; the first holds
their transaction open while the second starts, so the second must wait for the first's locks and then
see what the first did.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from sigap.audit.models import AuditEvent
from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Case, Report
from sigap.cases.workflow import State
from sigap.core.errors import InvalidTransition
from sigap.tenants.permissions import Role
from sigap.triage.actions import triage_report
from sigap.triage.decide import decide_duplicate
from sigap.triage.models import DuplicateSuggestion
from tests.triage.test_triage_actions import ROAD, ROAD_WA, _submit

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10.0  # seconds; a thread still waiting after this has deadlocked


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL (SQLite runs writers one at a time)")


def _interleave(first: Callable[[], Any], second: Callable[[], Any], reached: threading.Event,
                go_on: threading.Event, *, pause: float) -> tuple[Any, Any, bool]:
    """Run `first` in a thread until it sets `reached` (it then waits for `go_on`), run `second` in
    another thread for `pause` seconds, then let `first` go on. Returns what each returned or
    raised, and whether `second` was still running (blocked) when `first` was let go."""
    outcome: dict[str, Any] = {}

    def run(key: str, work: Callable[[], Any]) -> Callable[[], None]:
        def target() -> None:
            try:
                outcome[key] = work()
            except Exception as exc:  # noqa: BLE001 - reported to the test
                outcome[key] = exc
            finally:
                reached.set()  # a `first` that failed early lets the test go on and report it
                connections.close_all()

        return target

    one = threading.Thread(target=run("first", first))
    one.start()
    assert reached.wait(WAIT)
    two = threading.Thread(target=run("second", second))
    two.start()
    time.sleep(pause)
    blocked = two.is_alive()
    go_on.set()
    one.join(WAIT * 2)
    two.join(WAIT * 2)
    assert not one.is_alive() and not two.is_alive()
    return outcome["first"], outcome["second"], blocked


def _first_holds_open(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run `first` in a transaction that stays open until `second`, started in another thread, has
    been blocked for a moment; return what each returned or raised."""
    done, release = threading.Event(), threading.Event()

    def holding() -> Any:
        with transaction.atomic():
            result = first()
            done.set()
            release.wait(WAIT)
        return result

    got_first, got_second, blocked = _interleave(holding, second, done, release, pause=0.5)
    assert blocked, "the second officer did not wait for the first"
    return got_first, got_second


def test_confirm_and_reject_at_once_one_decides(agency_a, submit, boss_a, actor_of) -> None:  # type: ignore[no-untyped-def]
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=second.pk)
    suggestion = DuplicateSuggestion.objects.get(report=second)
    colleague = actor_of(agency_a, Role.VERIFIKATOR)

    confirmed, rejected = _first_holds_open(
        lambda: decide_duplicate(actor=boss_a, suggestion_id=suggestion.pk, confirm=True),
        lambda: decide_duplicate(actor=colleague, suggestion_id=suggestion.pk, confirm=False),
    )

    assert isinstance(confirmed, DuplicateSuggestion)
    assert isinstance(rejected, InvalidTransition)  # told it was already decided
    suggestion.refresh_from_db()
    second.refresh_from_db()
    assert suggestion.decision == DuplicateSuggestion.Decision.CONFIRMED
    assert suggestion.decided_by_id == boss_a.user_id
    assert second.case_id == first.case_id
    actions = list(AuditEvent.objects.filter(action__startswith="triage.duplicate_").values_list("action", flat=True))
    assert actions == ["triage.duplicate_confirmed"]


def test_two_cases_are_never_merged_into_each_other(agency_a, submit, boss_a, actor_of) -> None:  # type: ignore[no-untyped-def]
    a = _submit(submit, agency_a, ROAD)
    b = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    for report in (a, b):
        do_transition(actor=boss_a, case_id=report.case_id, name="start_verification")
    colleague = actor_of(agency_a, Role.VERIFIKATOR)

    merged, refused = _first_holds_open(
        lambda: do_transition(actor=boss_a, case_id=a.case_id, name="merge_duplicate",
                              data={"target_case": b.case_id}),
        lambda: do_transition(actor=colleague, case_id=b.case_id, name="merge_duplicate",
                              data={"target_case": a.case_id}),
    )

    assert isinstance(merged, Case)
    assert isinstance(refused, InvalidTransition)  # its target was merged meanwhile
    case_a, case_b = Case.objects.get(pk=a.case_id), Case.objects.get(pk=b.case_id)
    assert (case_a.status, case_a.merged_into_id) == (State.MERGED, case_b.pk)
    assert case_b.status == State.VERIFICATION and case_b.merged_into_id is None
    assert set(Report.objects.filter(pk__in=[a.pk, b.pk]).values_list("case_id", flat=True)) == {case_b.pk}


def test_a_delivery_sent_twice_at_once_is_stored_once(agency_a, submit) -> None:  # type: ignore[no-untyped-def]
    from sigap.tenants.access import system_actor

    def deliver() -> Report:
        return submit(system_actor(agency_a), channel="whatsapp", external_ref="wamid.HBgMNjI4MTIzNDU2Nzg5")

    first, second = _first_holds_open(deliver, deliver)  # the second waits on the first's insert

    assert isinstance(first, Report) and isinstance(second, Report), (first, second)
    assert first.pk == second.pk
    assert Report.objects.count() == 1 and Case.objects.filter(instansi=agency_a).count() == 1


def _paused_at(monkeypatch, name: str, first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:  # type: ignore[no-untyped-def]
    """Run `first` until it reaches triage's step `name`, run `second` beside it for a moment, then
    let `first` go on; what each returned or raised (a deadlock is raised to one of them)."""
    from sigap.triage import actions as triage_actions

    reached, go_on = threading.Event(), threading.Event()
    step = getattr(triage_actions, name)
    pausing: dict[str, threading.Thread] = {}

    def paused(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is pausing.get("first"):
            reached.set()
            go_on.wait(WAIT)
        return step(*args, **kwargs)

    monkeypatch.setattr(triage_actions, name, paused)

    def first_marked() -> Any:
        pausing["first"] = threading.current_thread()
        return first()

    got_first, got_second, _blocked = _interleave(first_marked, second, reached, go_on, pause=0.7)
    return got_first, got_second


def test_triage_merging_on_its_own_beside_an_officers_merge(agency_a, submit, boss_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = _submit(submit, agency_a, ROAD)
    triage_report(report_id=old.pk)
    do_transition(actor=boss_a, case_id=old.case_id, name="start_verification")
    again = _submit(submit, agency_a, ROAD)  # the same text sent again: triage would merge it on its own
    assert old.case_id < again.case_id

    triaged, merged = _paused_at(
        monkeypatch, "_maybe_auto_merge",
        lambda: triage_report(report_id=again.pk),
        lambda: do_transition(actor=boss_a, case_id=old.case_id, name="merge_duplicate",
                              data={"target_case": again.case_id}),
    )

    assert not isinstance(triaged, Exception), triaged
    assert not isinstance(merged, Exception) or isinstance(merged, InvalidTransition), merged
    cases = {c.pk: c for c in Case.objects.filter(pk__in=[old.case_id, again.case_id])}
    assert [c.status for c in cases.values()].count(State.MERGED) == 1  # one way or the other, once


def test_two_agencies_triaging_at_once_tell_each_other(agency_a, agency_b, submit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a_old, b_old = _submit(submit, agency_a, ROAD), _submit(submit, agency_b, ROAD_WA)
    triage_report(report_id=a_old.pk)
    triage_report(report_id=b_old.pk)
    a_new = _submit(submit, agency_a, ROAD_WA)  # like B's: B is told
    b_new = _submit(submit, agency_b, ROAD)  # like A's: A is told

    first, second = _paused_at(
        monkeypatch, "_auto_merge_candidates",  # after the notices, before the agency's own event
        lambda: triage_report(report_id=a_new.pk),
        lambda: triage_report(report_id=b_new.pk),
    )

    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert AuditEvent.objects.filter(action="triage.duplicate_noticed", chain=agency_a.pk).exists()
    assert AuditEvent.objects.filter(action="triage.duplicate_noticed", chain=agency_b.pk).exists()


def test_a_question_asked_while_its_case_is_merged_goes_with_the_report(agency_a, submit, boss_a, cheap_portal) -> None:  # type: ignore[no-untyped-def]
    import secrets

    from sigap.cases.models import Deadline, DeadlineKind
    from sigap.intake.portal.actions import submit_portal_report
    from sigap.reporters import mailbox
    from sigap.tenants.access import system_actor
    from tests.conftest import incoming

    def portal_report() -> Report:
        return submit_portal_report(
            actor=system_actor(agency_a), incoming=incoming(), form_token=secrets.token_hex(8)
        ).report

    kept, moving = portal_report(), portal_report()
    do_transition(actor=boss_a, case_id=moving.case_id, name="start_verification")

    merged, asked = _first_holds_open(
        lambda: do_transition(actor=boss_a, case_id=moving.case_id, name="merge_duplicate",
                              data={"target_case": kept.case_id}),
        lambda: mailbox.reporter_write(actor=system_actor(agency_a), reporter=moving.reporter,
                                       body="Sudah sampai mana laporan saya?"),
    )

    assert isinstance(merged, Case) and not isinstance(asked, Exception), (merged, asked)
    question = Deadline.objects.get(kind=DeadlineKind.ANSWER)
    assert question.case_id == kept.case_id and question.met_at is None
