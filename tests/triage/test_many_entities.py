"""A report that lists hundreds of people, numbers or addresses is triaged and indexed like any other.

A whistleblower often pastes a whole list (the beneficiaries of a social-assistance programme with
their ID numbers, the members of a fictitious payroll): every item is an entity, and each entity key
is one more term of the duplicate check's candidate query."""

from __future__ import annotations

import pytest

from sigap.cases.content import ReportContent
from sigap.cases.models import TriageStatus
from sigap.tenants.access import system_actor
from sigap.triage.actions import triage_report
from sigap.triage.lib.dedup import MAX_ENTITY_KEYS
from sigap.triage.models import DuplicateSuggestion, TriageResult

pytestmark = pytest.mark.django_db

NAMES = ("Budi", "Siti", "Agus", "Dewi", "Rina", "Joko", "Wati", "Eko", "Sri", "Hadi")


def _listing(n: int, offset: int = 0) -> str:
    rows = [
        f"{i + 1}. Bapak {NAMES[i % 10]} {NAMES[(i // 10) % 10]}wan NIK 3578{(offset + i):012d}, "
        f"Jl. Kenanga Asri No {i + 1}"
        for i in range(n)
    ]
    return (
        "Daftar penerima bansos fiktif di Desa Sukamaju tahun 2025, dana dicairkan oleh kepala desa "
        "tetapi warga berikut tidak pernah menerima:\n" + "\n".join(rows)
    )


def _submit(submit, agency, what: str):  # type: ignore[no-untyped-def]
    content = ReportContent(title="Bansos fiktif", what=what)
    return submit(system_actor(agency), content=content, channel="web", amount=None, region_code="")


def test_a_long_list_is_triaged_and_its_copy_found(agency_a, submit) -> None:
    first = _submit(submit, agency_a, _listing(600))
    second = _submit(submit, agency_a, _listing(600))
    for report in (first, second):
        triage_report(report_id=report.pk)
        report.refresh_from_db()
        assert report.triage_status == TriageStatus.DONE
    result = TriageResult.objects.get(report=second)
    assert 0 < len(result.index_keys) <= MAX_ENTITY_KEYS
    assert DuplicateSuggestion.objects.filter(report=second, other_report=first).exists()


def test_keys_of_a_long_list_are_the_same_for_the_same_list(agency_a, submit) -> None:
    """The keys kept from a long list do not depend on the order it was written in."""
    listing = _listing(300)
    head, *rows = listing.split("\n")
    reordered = "\n".join([head, *reversed(rows)])
    a, b = (_submit(submit, agency_a, text) for text in (listing, reordered))
    for report in (a, b):
        triage_report(report_id=report.pk)
    keys_a = set(TriageResult.objects.get(report=a).index_keys)
    keys_b = set(TriageResult.objects.get(report=b).index_keys)
    assert keys_a and keys_a == keys_b
