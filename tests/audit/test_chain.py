"""The audit chain: every action writes to it; a changed, inserted or deleted row is found and named."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sigap.audit.chain import verify
from sigap.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from sigap.cases.actions.transitions import do_transition
from sigap.tenants.access import system_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(agency_a, agency_b, boss_a, submit):  # type: ignore[no-untyped-def]
    for _ in range(3):
        case = submit(system_actor(agency_a)).case
        do_transition(actor=boss_a, case_id=case.pk, name="start_verification")
    submit(system_actor(agency_b))
    return list(AuditEvent.objects.filter(chain=agency_a.pk).order_by("seq"))


def test_every_action_is_audited_and_the_chain_verifies(trail, agency_a) -> None:
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert {e.action for e in trail} >= {"report.submitted", "report.acknowledged", "case.start_verification"}
    assert verify() == []
    call_command("audit", "verify")  # no error


def test_append_only_in_the_orm(trail) -> None:
    event = trail[0]
    event.action = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_changed_row_is_named(trail) -> None:
    victim = trail[2]
    _sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", victim.pk])
    problems = verify()
    assert [(p.kind, p.event_id) for p in problems] == [("changed", victim.pk)]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_changed_data_is_found(trail) -> None:
    victim = trail[-1]
    _sql("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"to": "closed"}', victim.pk])
    assert [(p.kind, p.event_id) for p in verify()] == [("changed", victim.pk)]


def test_deleted_row_in_the_middle_is_found(trail) -> None:
    victim = trail[1]
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    problems = verify()
    assert any(p.kind == "deleted" and p.seq == victim.seq for p in problems)


def test_deleted_last_row_is_found(trail, agency_a) -> None:
    victim = trail[-1]
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    problems = verify()
    assert [(p.kind, p.seq) for p in problems] == [("deleted", victim.seq)]


def test_inserted_row_is_named(trail, agency_a) -> None:
    # A forged row squeezed in with a seq that already exists, and a hash copied from a real one.
    original = trail[1]
    _sql(
        "UPDATE audit_auditevent SET seq = seq + 1000 WHERE chain = %s AND seq > %s",
        [agency_a.pk, original.seq],
    )
    _sql(
        "INSERT INTO audit_auditevent (chain, seq, instansi_id, created_at, actor_label, action, object_type, "
        "object_id, data, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            agency_a.pk,
            original.seq + 1,
            agency_a.pk,
            original.created_at,
            "forger",
            "case.close",
            "cases.case",
            "1",
            "{}",
            original.hash,
            original.hash,
        ],
    )
    forged = AuditEvent.objects.get(actor_label="forger")
    problems = verify()
    assert any(p.event_id == forged.pk for p in problems)


def test_appended_outside_sigap_is_found(trail, agency_a) -> None:
    head = AuditChainHead.objects.get(chain=agency_a.pk)
    last = trail[-1]
    _sql(
        "INSERT INTO audit_auditevent (chain, seq, instansi_id, created_at, actor_label, action, object_type, "
        "object_id, data, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            agency_a.pk,
            head.last_seq + 1,
            agency_a.pk,
            last.created_at,
            "forger",
            "case.close",
            "",
            "",
            "{}",
            last.hash,
            "f" * 64,
        ],
    )
    kinds = {p.kind for p in verify()}
    assert "changed" in kinds or "inserted" in kinds


def test_other_chains_are_unaffected(trail, agency_b) -> None:
    _sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", trail[0].pk])
    assert verify(chain=agency_b.pk) == []


def test_batched_events_are_written_at_the_end_and_chain(agency_a, agency_b) -> None:
    from django.db import transaction

    from sigap.audit.chain import append, batched

    before = AuditEvent.objects.count()
    with transaction.atomic(), batched():
        append(instansi_id=agency_b.pk, actor_user_id=None, actor_label="t", action="b.one")
        append(instansi_id=agency_a.pk, actor_user_id=None, actor_label="t", action="a.one")
        with batched():  # a nested batch joins the outer one
            append(instansi_id=agency_a.pk, actor_user_id=None, actor_label="t", action="a.two")
        assert AuditEvent.objects.count() == before  # nothing written yet
    actions = list(
        AuditEvent.objects.filter(chain=agency_a.pk, action__startswith="a.").order_by("seq").values_list(
            "action", flat=True
        )
    )
    assert actions == ["a.one", "a.two"]
    assert AuditEvent.objects.filter(chain=agency_b.pk, action="b.one").count() == 1
    assert verify(chain=agency_a.pk) == [] and verify(chain=agency_b.pk) == []


def test_batch_ended_by_an_error_writes_nothing(agency_a) -> None:
    from sigap.audit.chain import append, batched

    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), batched():
        append(instansi_id=agency_a.pk, actor_user_id=None, actor_label="t", action="lost")
        raise RuntimeError("stop")
    assert AuditEvent.objects.count() == before
