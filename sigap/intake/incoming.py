"""What every channel adapter hands over: the same shape whatever the channel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sigap.cases.content import ReportContent


@dataclass
class IncomingReport:
    channel: str
    content: ReportContent
    received_at: dt.datetime | None = None
    language: str = "id"
    anonymity: str = "anonymous"
    region_code: str = ""
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    amount: int | None = None
    evidence_count: int = 0
    external_ref: str = ""
    extra: dict[str, str] = field(default_factory=dict)
