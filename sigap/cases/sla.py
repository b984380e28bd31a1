"""Deadlines that the law and good practice set, and when each one is due.

- acknowledge: within 7 days of receipt (EU Directive 2019/1937 art. 9(1)(b));
- verify: within 30 days (PP 43/2018 art. 9);
- answer: a reporter's question within 30 working days (PP 43/2018 art. 10);
- feedback: within 3 months of the acknowledgement (EU Directive 2019/1937 art. 9(1)(f));
- referral_answer: an agency answers a referral (pelimpahan) from another within 5 working days
  (SIGAP's own rule, docs/decisions/0014-referral-hands-the-case-over.md).
"""

from __future__ import annotations

import datetime as dt

from sigap.core import clock

RULES: dict[str, tuple[str, int]] = {
    "acknowledge": ("days", 7),
    "verify": ("days", 30),
    "answer": ("working_days", 30),
    "feedback": ("months", 3),
    "referral_answer": ("working_days", 5),
}


def due_at(kind: str, start: dt.datetime, *, tz: str = "WIB") -> dt.datetime:
    """When a deadline falls: at the end of its last day in the agency's zone `tz`, the day that
    pages show as the due date (a deadline never falls earlier on the day it is shown for)."""
    unit, amount = RULES[kind]
    if unit == "days":
        return clock.end_of_day(clock.add_calendar_days(start, amount), tz=tz)
    if unit == "working_days":
        return clock.add_working_days(start, amount, tz=tz)
    return clock.end_of_day(clock.add_months(start, amount, tz=tz), tz=tz)
