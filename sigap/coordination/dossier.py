"""What a referral carries: the case summary, the reason, and every report's content with the
facts about it that the receiving agency needs (channel, dates, anonymity, files held back).

Sealed with the receiving agency's key. The reporters' identities stay with the referring agency
(disclosed only through its custodian); their files are copied when the referral is accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sigap.cases.content import ReportContent, ReportedPerson
from sigap.cases.models import Report
from sigap.coordination.models import PURPOSE_DOSSIER, Referral
from sigap.core import crypto


@dataclass
class ReferredReport:
    content: ReportContent
    channel: str
    received_at: dt.datetime
    language: str = "id"
    anonymity: str = "anonymous"
    evidence_count: int = 0
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    answers: list[str] = field(default_factory=list)  # the reporter's answers to officers' questions

    def to_dict(self) -> dict[str, Any]:
        return {
            "content": self.content.to_dict(),
            "channel": self.channel,
            "received_at": self.received_at.isoformat(),
            "language": self.language,
            "anonymity": self.anonymity,
            "evidence_count": self.evidence_count,
            "occurred_from": self.occurred_from.isoformat() if self.occurred_from else None,
            "occurred_to": self.occurred_to.isoformat() if self.occurred_to else None,
            "answers": list(self.answers),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReferredReport:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            content=ReportContent.from_dict(data.get("content", {})),
            channel=str(data.get("channel", "")),
            received_at=dt.datetime.fromisoformat(data["received_at"]),
            language=str(data.get("language", "id")),
            anonymity=str(data.get("anonymity", "anonymous")),
            evidence_count=int(data.get("evidence_count", 0)),
            occurred_from=day(data.get("occurred_from")),
            occurred_to=day(data.get("occurred_to")),
            answers=[str(a) for a in data.get("answers", [])],
        )

    @classmethod
    def of(cls, report: Report, content: ReportContent, answers: list[str]) -> ReferredReport:
        return cls(
            content=content,
            channel=report.channel,
            received_at=report.received_at,
            language=report.language,
            anonymity=report.anonymity,
            evidence_count=report.evidence_count,
            occurred_from=report.occurred_from,
            occurred_to=report.occurred_to,
            answers=answers,
        )


@dataclass
class Dossier:
    summary: str
    reason: str
    reports: list[ReferredReport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "reason": self.reason,
            "reports": [r.to_dict() for r in self.reports],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dossier:
        return cls(
            summary=str(data.get("summary", "")),
            reason=str(data.get("reason", "")),
            reports=[ReferredReport.from_dict(r) for r in data.get("reports", [])],
        )

    def combined(self) -> ReportContent:
        """One report's content out of all of them, for the case the receiving agency opens: each
        part in the order the reports came, a part repeated word for word kept once; what the
        reporters answered to questions follows what they wrote."""
        contents = [r.content for r in self.reports]
        answers = [a for r in self.reports for a in r.answers]

        def joined(name: str, sep: str) -> str:
            parts: list[str] = []
            for c in contents:
                value = getattr(c, name).strip()
                if value and value not in parts:
                    parts.append(value)
            return sep.join(parts)

        people: list[ReportedPerson] = []
        for c in contents:
            for p in c.who:
                if p not in people:
                    people.append(p)
        evidence: list[str] = []
        for c in contents:
            evidence += [e for e in c.evidence if e not in evidence]
        title = contents[0].title.strip() if len(contents) == 1 else ""
        return ReportContent(
            title=title or self.summary,
            what="\n\n".join(x for x in (joined("what", "\n\n"), *answers) if x),
            who=people,
            where=joined("where", "; "),
            when=joined("when", "; "),
            how=joined("how", "\n\n"),
            how_much=joined("how_much", "; "),
            evidence=evidence,
        )


def open_dossier(referral: Referral) -> Dossier:
    blob = bytes(referral.dossier_sealed)
    return Dossier.from_dict(crypto.open_json(referral.instansi_id, blob, purpose=PURPOSE_DOSSIER))
