"""Receipts: random, stored only as Argon2id, found with one lookup and one verification."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from sigap import settings as project_settings
from sigap.reporters import receipts
from sigap.reporters.models import Reporter

pytestmark = pytest.mark.django_db


def test_production_argon2_parameters() -> None:
    params = project_settings.SIGAP_RECEIPT_ARGON2
    # Decision 0007: at least 64 MiB (the requirement) and OWASP's time cost for that memory.
    assert params["memory_cost"] >= 65536 and params["time_cost"] >= 1 and params["parallelism"] == 1


def test_receipt_shape_and_grouping() -> None:
    values = {receipts.new_receipt() for _ in range(200)}
    assert len(values) == 200 and all(len(v) == 16 and v.isdigit() for v in values)
    assert receipts.group("1234567890123456") == "1234 5678 9012 3456"
    assert receipts.normalize(" 1234 5678-9012\u00a03456 ") == "1234567890123456"


def test_lookup_covers_only_the_prefix() -> None:
    assert receipts.lookup_of("1234567800000000") == receipts.lookup_of("1234567899999999")
    assert receipts.lookup_of("1234567800000000") != receipts.lookup_of("8765432100000000")
    assert len(receipts.lookup_of("1234567800000000")) == 16


def test_hash_is_argon2id_with_passphrase_folded_in(agency_a) -> None:
    prepared = receipts.prepare_receipt("rahasia sekali")
    assert prepared.hash.startswith("$argon2id$")
    assert prepared.receipt not in prepared.hash
    reporter = Reporter.objects.create(
        instansi=agency_a, pseudonym="P-1", receipt_lookup=prepared.lookup, receipt_hash=prepared.hash
    )
    assert receipts.find_reporter(prepared.receipt, "rahasia sekali") == reporter
    assert receipts.find_reporter(receipts.group(prepared.receipt), "  rahasia sekali ") == reporter
    assert receipts.find_reporter(prepared.receipt) is None
    assert receipts.find_reporter(prepared.receipt, "salah") is None


def test_one_verification_per_attempt_found_or_not(agency_a, monkeypatch) -> None:
    prepared = receipts.prepare_receipt()
    Reporter.objects.create(
        instansi=agency_a, pseudonym="P-1", receipt_lookup=prepared.lookup, receipt_hash=prepared.hash
    )
    calls: list[str] = []
    real = receipts.verify
    monkeypatch.setattr(receipts, "verify", lambda h, r, p="": calls.append(h) or real(h, r, p))
    wrong_rest = prepared.receipt[:8] + ("0" if prepared.receipt[8] != "0" else "1") + prepared.receipt[9:]
    missing = ("1" if prepared.receipt[0] != "1" else "2") + prepared.receipt[1:]
    for typed in (prepared.receipt, wrong_rest, missing, "123"):
        calls.clear()
        receipts.find_reporter(typed)
        assert len(calls) == 1, typed


def test_lookup_is_unique_across_agencies(agency_a, agency_b) -> None:
    Reporter.objects.create(instansi=agency_a, pseudonym="P-1", receipt_lookup="abc", receipt_hash="x")
    Reporter.objects.create(instansi=agency_a, pseudonym="P-2")  # no mailbox: blank lookups may repeat
    Reporter.objects.create(instansi=agency_b, pseudonym="P-3")
    with pytest.raises(IntegrityError):
        Reporter.objects.create(instansi=agency_b, pseudonym="P-4", receipt_lookup="abc", receipt_hash="y")


def test_prepare_skips_taken_prefixes(agency_a, monkeypatch) -> None:
    first = receipts.prepare_receipt()
    Reporter.objects.create(
        instansi=agency_a, pseudonym="P-1", receipt_lookup=first.lookup, receipt_hash=first.hash
    )
    draws = iter([first.receipt, "5555555512345678"])
    monkeypatch.setattr(receipts, "new_receipt", lambda: next(draws))
    second = receipts.prepare_receipt()
    assert second.receipt == "5555555512345678"


def test_issue_receipt_for_an_existing_reporter(agency_a) -> None:
    reporter = Reporter.objects.create(instansi=agency_a, pseudonym="P-9")
    receipt = receipts.issue_receipt(reporter=reporter, passphrase="")
    assert receipts.find_reporter(receipt) == reporter
