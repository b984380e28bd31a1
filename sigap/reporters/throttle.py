"""Counters per fixed time window, in the database (shared by every web process), keyed by what
is being protected (the whole mailbox login, one receipt prefix), never by a network address."""

from __future__ import annotations

import secrets
import time

from django.db import IntegrityError, transaction
from django.db.models import F

from sigap.reporters.models import ThrottleCounter


def hit(*, scope: str, key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Counts one attempt; True while the window's count stays within `limit`."""
    window = int(now if now is not None else time.time()) // window_seconds
    with transaction.atomic():
        qs = ThrottleCounter.objects.filter(scope=scope, key=key, window=window)
        if not qs.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleCounter.objects.create(scope=scope, key=key, window=window, count=1)
            except IntegrityError:  # created meanwhile by another process
                qs.update(count=F("count") + 1)
        count = qs.values_list("count", flat=True).first() or 0
    if secrets.randbelow(200) == 0:
        purge(older_than_window=window - 2, scope=scope)
    return count <= limit


def forgive(*, scope: str, key: str, window_seconds: int, now: float) -> None:
    """Takes back one attempt counted at `now` (one that turned out to be the rightful owner's)."""
    window = int(now) // window_seconds
    counters = ThrottleCounter.objects.filter(scope=scope, key=key, window=window, count__gt=0)
    counters.update(count=F("count") - 1)


def purge(*, older_than_window: int, scope: str) -> int:
    deleted, _ = ThrottleCounter.objects.filter(scope=scope, window__lt=older_than_window).delete()
    return deleted
