"""Tracking and case numbers: per agency and year, gap-free, safe under concurrency."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from sigap.cases.models import Counter
from sigap.tenants.models import Instansi


def reserve(instansi: Instansi, kind: str, year: int, count: int = 1) -> int:
    """Reserves `count` numbers and returns the first. The row update takes a lock that serialises
    concurrent writers on PostgreSQL; SQLite's IMMEDIATE transactions do the same."""
    with transaction.atomic():
        Counter.objects.get_or_create(instansi=instansi, kind=kind, year=year)
        Counter.objects.filter(instansi=instansi, kind=kind, year=year).update(value=F("value") + count)
        value = Counter.objects.filter(instansi=instansi, kind=kind, year=year).values_list(
            "value", flat=True
        )[0]
    return value - count + 1


def tracking_number(instansi: Instansi, year: int, seq: int) -> str:
    return f"{instansi.code}-{year}-{seq:06d}"


def case_number(instansi: Instansi, year: int, seq: int) -> str:
    return f"{instansi.code}/K/{year}/{seq:05d}"
