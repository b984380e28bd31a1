"""The sealed content of a report: 5W2H in one JSON document, encrypted with the agency's key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sigap.core import crypto

PURPOSE_REPORT = "report.content"
PURPOSE_CASE = "case.summary"
PURPOSE_NOTE = "case.note"


@dataclass
class ReportedPerson:
    name: str = ""
    position: str = ""
    institution: str = ""


@dataclass
class ReportContent:
    """What, who, where, when, how/why, how much and evidence, as the reporter wrote them."""

    title: str = ""
    what: str = ""
    who: list[ReportedPerson] = field(default_factory=list)
    where: str = ""
    when: str = ""
    how: str = ""
    how_much: str = ""
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportContent:
        who = [ReportedPerson(**p) for p in data.get("who", [])]
        return cls(**{**{k: v for k, v in data.items() if k in cls.__dataclass_fields__}, "who": who})

    @property
    def full_text(self) -> str:
        """All the prose of the report, for triage."""
        people = "; ".join(" ".join(x for x in (p.name, p.position, p.institution) if x) for p in self.who)
        return "\n".join(
            x for x in (self.title, self.what, people, self.where, self.when, self.how, self.how_much) if x
        )


def seal_content(instansi_id: int, content: ReportContent) -> bytes:
    return crypto.seal_json(instansi_id, content.to_dict(), purpose=PURPOSE_REPORT)


def open_content(instansi_id: int, blob: bytes | memoryview) -> ReportContent:
    return ReportContent.from_dict(crypto.open_json(instansi_id, bytes(blob), purpose=PURPOSE_REPORT))


def seal_text(instansi_id: int, text: str, *, purpose: str) -> bytes:
    return crypto.seal(instansi_id, text.encode(), purpose=purpose)


def open_text(instansi_id: int, blob: bytes | memoryview, *, purpose: str) -> str:
    return crypto.open_sealed(instansi_id, bytes(blob), purpose=purpose).decode()
