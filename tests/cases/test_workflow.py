"""Every workflow transition, allowed and refused, walked through the real actions."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from django.utils import translation

from sigap.audit.models import AuditEvent
from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Case, Deadline
from sigap.cases.workflow import TRANSITIONS, FieldKind, State, Transition
from sigap.coordination.actions import decline_referral
from sigap.coordination.models import Referral, ReferralStatus
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.tenants.access import system_actor
from sigap.tenants.models import Unit
from sigap.tenants.permissions import ROLE_CAPABILITIES, Cap, Role

pytestmark = pytest.mark.django_db


def _path_to(target: State) -> list[Transition]:
    """The shortest chain of transitions from RECEIVED to `target` (BFS over the machine)."""
    queue: deque[tuple[State, list[Transition]]] = deque([(State.RECEIVED, [])])
    seen = {State.RECEIVED}
    while queue:
        state, path = queue.popleft()
        if state == target:
            return path
        for t in TRANSITIONS.values():
            if state in t.sources and t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, [*path, t]))
    raise AssertionError(f"{target} unreachable")


def _payload(t: Transition, case: Case, other: Any, make_other_case: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in t.fields + t.optional:
        if f.kind == FieldKind.TEXT:
            data[f.name] = "catatan uji"
        elif f.kind == FieldKind.CHOICE:
            data[f.name] = f.choices[0][0]
        elif f.kind == FieldKind.INSTANSI:
            data[f.name] = str(other.pk)
        elif f.kind == FieldKind.UNIT:
            data[f.name] = str(Unit.objects.filter(instansi_id=case.instansi_id).first().pk)
        elif f.kind == FieldKind.CASE:
            data[f.name] = str(make_other_case().pk)
    return data


@pytest.fixture
def walk(boss_a, agency_a, agency_b, submit):  # type: ignore[no-untyped-def]
    intake = system_actor(agency_a)

    def new_case() -> Case:
        # imported from SP4N-LAPOR!: every step is open to it, archiving as finished there too
        return submit(intake, channel="lapor").case

    def to_state(state: State) -> Case:
        case = new_case()
        for t in _path_to(state):
            do_transition(
                actor=boss_a, case_id=case.pk, name=t.name, data=_payload(t, case, agency_b, new_case)
            )
            # a referral is answered at once (declined), so that the case may go on or be referred on
            for referral in Referral.objects.filter(from_case=case, status=ReferralStatus.SENT):
                decline_referral(actor=system_actor(agency_b), referral_id=referral.pk, reason="bukan kami")
        case.refresh_from_db()
        assert case.status == state
        return case

    to_state.new_case = new_case  # type: ignore[attr-defined]
    return to_state


ALL = [(t.name, s) for t in TRANSITIONS.values() for s in sorted(t.sources)]


def test_every_state_is_reachable_from_received() -> None:
    for state in State:
        _path_to(state)


@pytest.mark.parametrize(("name", "source"), ALL)
def test_transition_allowed_for_a_capable_role(
    name, source, walk, boss_a, agency_b, actor_of, agency_a
) -> None:
    t = TRANSITIONS[name]
    case = walk(source)
    role = next(
        r for r in Role if t.capability in ROLE_CAPABILITIES[r] and Cap.CASE_LIST in ROLE_CAPABILITIES[r]
    )
    actor = actor_of(agency_a, role)
    result = do_transition(
        actor=actor, case_id=case.pk, name=name, data=_payload(t, case, agency_b, walk.new_case)
    )
    assert result.status == t.target
    event = (
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-seq").first()
    )
    assert event.action == f"case.{name}"
    assert event.data["from"] == source and event.data["to"] == t.target
    assert event.actor_label == actor.label


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_refused_for_roles_without_the_capability(
    name, walk, agency_a, agency_b, actor_of
) -> None:
    t = TRANSITIONS[name]
    case = walk(sorted(t.sources)[0])
    refused = [r for r in Role if t.capability not in ROLE_CAPABILITIES[r]]
    assert refused, "some role must lack every capability"
    for role in refused:
        actor = actor_of(agency_a, role)
        expected = PermissionDenied if Cap.CASE_LIST in ROLE_CAPABILITIES[role] else NotFound
        with pytest.raises(expected):
            do_transition(
                actor=actor, case_id=case.pk, name=name, data=_payload(t, case, agency_b, walk.new_case)
            )
    case.refresh_from_db()
    assert case.status == sorted(t.sources)[0]


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_refused_from_other_states(name, walk, boss_a, agency_b) -> None:
    t = TRANSITIONS[name]
    wrong = next(
        s for s in [State.CLOSED, State.MERGED, State.RECEIVED, State.ANALYSIS] if s not in t.sources
    )
    case = walk(wrong)
    with pytest.raises(InvalidTransition):
        do_transition(
            actor=boss_a, case_id=case.pk, name=name, data=_payload(t, case, agency_b, walk.new_case)
        )
    case.refresh_from_db()
    assert case.status == wrong


@pytest.mark.parametrize("name", sorted(n for n, t in TRANSITIONS.items() if t.fields))
def test_required_fields_are_required(name, walk, boss_a) -> None:
    t = TRANSITIONS[name]
    case = walk(sorted(t.sources)[0])
    with pytest.raises(ValidationFailed) as err:
        do_transition(actor=boss_a, case_id=case.pk, name=name, data={})
    assert set(err.value.fields) == {f.name for f in t.fields}
    case.refresh_from_db()
    assert case.status == sorted(t.sources)[0]


def test_unknown_transition_is_refused(walk, boss_a) -> None:
    case = walk(State.VERIFICATION)
    with pytest.raises(InvalidTransition):
        do_transition(actor=boss_a, case_id=case.pk, name="teleport", data={})


def test_merge_moves_reports_and_keeps_reporters(walk, boss_a) -> None:
    target = walk(State.VERIFICATION)
    dup = walk(State.VERIFICATION)
    dup_reporter = dup.reports.get().reporter_id
    do_transition(actor=boss_a, case_id=dup.pk, name="merge_duplicate", data={"target_case": str(target.pk)})
    dup.refresh_from_db()
    assert dup.status == State.MERGED and dup.merged_into_id == target.pk
    assert target.reports.count() == 2
    assert dup_reporter in set(target.reports.values_list("reporter_id", flat=True))


def test_merge_guards(walk, boss_a) -> None:
    case = walk(State.VERIFICATION)
    with pytest.raises(InvalidTransition):
        do_transition(
            actor=boss_a, case_id=case.pk, name="merge_duplicate", data={"target_case": str(case.pk)}
        )
    merged = walk(State.MERGED)
    with pytest.raises(InvalidTransition):
        do_transition(
            actor=boss_a, case_id=case.pk, name="merge_duplicate", data={"target_case": str(merged.pk)}
        )


def test_merge_into_another_agencys_case_is_not_found(walk, boss_a, agency_b, submit) -> None:
    foreign = submit(system_actor(agency_b)).case
    case = walk(State.VERIFICATION)
    for given in (str(foreign.pk), foreign.number):  # by id or by the number officers see
        with pytest.raises(ValidationFailed) as err:
            do_transition(actor=boss_a, case_id=case.pk, name="merge_duplicate", data={"target_case": given})
        assert "target_case" in err.value.fields


def test_merge_target_is_given_by_the_case_number_officers_see(walk, boss_a) -> None:
    target = walk(State.VERIFICATION)
    dup = walk(State.VERIFICATION)
    typed = f"  {target.number.lower()} "  # as an officer may type it
    do_transition(actor=boss_a, case_id=dup.pk, name="merge_duplicate", data={"target_case": typed})
    dup.refresh_from_db()
    assert dup.status == State.MERGED and dup.merged_into_id == target.pk


def test_refer_to_own_agency_is_refused(walk, boss_a, agency_a) -> None:
    case = walk(State.VERIFICATION)
    with pytest.raises(InvalidTransition):
        do_transition(
            actor=boss_a,
            case_id=case.pk,
            name="refer_not_authority",
            data={"target_instansi": str(agency_a.pk), "reason": "bukan kewenangan"},
        )


def test_invalid_choice_is_refused(walk, boss_a) -> None:
    case = walk(State.ANALYSIS)
    with pytest.raises(ValidationFailed):
        do_transition(
            actor=boss_a, case_id=case.pk, name="recommend", data={"recommendation": "burn_it", "note": "x"}
        )


def test_deadlines_follow_the_steps(walk, boss_a) -> None:
    case = walk(State.RECEIVED)
    kinds = {d.kind: d for d in Deadline.objects.filter(case=case)}
    assert set(kinds) == {"acknowledge", "feedback"}
    assert kinds["acknowledge"].met_at is not None  # acknowledged at receipt
    assert (kinds["acknowledge"].due_at - case.received_at).days == 7
    assert 89 <= (kinds["feedback"].due_at - case.received_at).days <= 92
    do_transition(actor=boss_a, case_id=case.pk, name="start_verification")
    verify = Deadline.objects.get(case=case, kind="verify")
    assert verify.met_at is None and (verify.due_at - verify.started_at).days == 30
    do_transition(actor=boss_a, case_id=case.pk, name="to_analysis")
    verify.refresh_from_db()
    assert verify.met_at is not None


def test_feedback_deadline_met_on_completion(walk, boss_a) -> None:
    case = walk(State.FOLLOW_UP)
    do_transition(
        actor=boss_a,
        case_id=case.pk,
        name="complete",
        data={"outcome": "substantiated", "feedback": "Laporan Anda terbukti dan telah ditindaklanjuti."},
    )
    case.refresh_from_db()
    assert case.outcome == "substantiated"
    assert Deadline.objects.get(case=case, kind="feedback").met_at is not None


def test_notes_are_sealed_and_shown_in_the_timeline(walk, boss_a) -> None:
    from sigap.cases.models import CaseNote
    from sigap.cases.selectors import case_timeline

    case = walk(State.VERIFICATION)
    do_transition(
        actor=boss_a,
        case_id=case.pk,
        name="request_completion",
        data={"questions": "Kapan tepatnya kejadian itu?"},
    )
    note = CaseNote.objects.get(case=case)
    assert b"Kapan tepatnya" not in bytes(note.text_sealed)
    texts = [text for entry in case_timeline(actor=boss_a, case=case) for _, text in entry.notes]
    assert "Kapan tepatnya kejadian itu?" in texts


def test_agency_labels_relabel_but_do_not_change_the_machine(walk, boss_a, agency_a) -> None:
    from sigap.cases.workflow import state_label

    agency_a.state_labels = {"analysis": "Penelaahan Inspektorat"}
    agency_a.save()
    assert state_label("analysis", agency_a.state_labels) == "Penelaahan Inspektorat"
    assert state_label("verification", agency_a.state_labels) == str(State.VERIFICATION.label)
    per_language = {"analysis": {"id": "Penelaahan Inspektorat", "en": "Inspectorate analysis"}}
    with translation.override("en"):
        assert state_label("analysis", per_language) == "Inspectorate analysis"
        assert state_label("analysis", {"analysis": {"id": "Penelaahan Inspektorat"}}) == "Penelaahan Inspektorat"
        assert state_label("analysis", {"analysis": {"fr": "Analyse"}}) == str(State.ANALYSIS.label)
    with translation.override("id"):
        assert state_label("analysis", per_language) == "Penelaahan Inspektorat"
    case = walk(State.ANALYSIS)
    assert case.status == "analysis"
