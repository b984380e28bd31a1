"""Proof of work, its wait-based fallback, and the address-free login counters."""

from __future__ import annotations

import time

import pytest

from sigap.reporters import pow, throttle
from sigap.reporters.models import ThrottleCounter

pytestmark = pytest.mark.django_db


def test_solved_challenge_is_accepted_once() -> None:
    challenge = pow.issue(bits=8)
    nonce = pow.solve(challenge)
    assert pow.work_ok(challenge, nonce, 8)
    assert pow.check(challenge, nonce).ok
    assert pow.check(challenge, nonce).reason == "spent"


def test_wrong_work_forged_and_expired_challenges_are_refused() -> None:
    challenge = pow.issue(bits=16)
    bad = next(str(n) for n in range(1000) if not pow.work_ok(challenge, str(n), 16))
    assert pow.check(challenge, bad).reason == "work"
    assert pow.check(challenge[:-2] + "xx", "1").reason == "invalid"
    assert pow.check("", "").reason == "invalid"
    old = pow.issue(bits=1, now=time.time() - pow.MAX_AGE - 5)
    assert pow.check(old, pow.solve(old)).reason == "expired"


def test_without_javascript_the_challenge_matures_after_the_wait(settings) -> None:
    settings.SIGAP_POW_WAIT_SECONDS = 8
    issued = time.time()
    challenge = pow.issue(now=issued)
    early = pow.check(challenge, "", now=issued + 3)
    assert not early.ok and early.reason == "early" and 5 <= early.wait_seconds <= 6
    assert pow.check(challenge, "", now=issued + 9).ok
    assert pow.check(challenge, "", now=issued + 10).reason == "spent"


def test_leading_zero_bits() -> None:
    assert pow.leading_zero_bits(b"\x00\x00\x01") == 23
    assert pow.leading_zero_bits(b"\x80") == 0
    assert pow.leading_zero_bits(b"\x00\x0f") == 12


def test_throttle_counts_per_window_and_key() -> None:
    now = 1_000_000.0
    assert all(throttle.hit(scope="t", key="k", limit=3, window_seconds=60, now=now) for _ in range(3))
    assert not throttle.hit(scope="t", key="k", limit=3, window_seconds=60, now=now)
    assert throttle.hit(scope="t", key="other", limit=3, window_seconds=60, now=now)
    assert throttle.hit(scope="t", key="k", limit=3, window_seconds=60, now=now + 60)
    assert throttle.purge(older_than_window=int(now + 60) // 60, scope="t") == 2
    assert ThrottleCounter.objects.count() == 1
