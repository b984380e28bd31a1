"""One call that reads a report: entities, region, category and sectors, jurisdiction, completeness
and the MinHash signature. Pure: text in, features out."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from . import dedup, minhash
from .classify import Classification, Model, classify
from .completeness import Completeness, assess_completeness
from .entities import Entities
from .gazetteer import RegionHit, locate
from .jurisdiction import Jurisdiction, assess_jurisdiction
from .minhash import Signature

MAX_TRIAGE_CHARS = 100_000  # a 1 MB text is read up to here: beyond it, nothing a person wrote by hand


@dataclass(frozen=True)
class TriageFeatures:
    normalized: str
    entities: Entities
    regions: tuple[RegionHit, ...]
    classification: Classification
    jurisdiction: Jurisdiction
    completeness: Completeness
    signature: Signature
    dedup: dedup.ReportFeatures

    # Computed once (the task reads them for the check, the stored result and the index).
    @functools.cached_property
    def index_bands(self) -> list[int]:
        """The duplicate index's band hashes of the signature ([] for empty text)."""
        return minhash.index_bands(self.signature)

    @functools.cached_property
    def entity_keys(self) -> list[int]:
        """The duplicate index's keys of specific entities (none for empty or too short text)."""
        return dedup.entity_keys(self.dedup)

    @property
    def best_region(self) -> str:
        """The most specific region found (kecamatan level when the text names one)."""
        for hit in self.regions:
            if hit.level <= 3:
                return hit.code
        return self.regions[0].code.rsplit(".", 1)[0] if self.regions else ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for sealed storage (the signature is stored apart)."""
        c = self.classification
        return {
            "regions": [
                {
                    "code": h.code,
                    "name": h.name,
                    "level": h.level,
                    "score": round(h.score, 3),
                    "evidence": h.evidence,
                }
                for h in self.regions[:8]
            ],
            "classification": {
                "category": c.category,
                "confidence": round(c.confidence, 3),
                "evidence": list(c.evidence),
                "source": c.source,
                "alternatives": [[k, round(p, 3)] for k, p in c.alternatives],
                "sectors": [[k, round(p, 3), list(ev)] for k, p, ev in c.sectors],
            },
            "jurisdiction": {
                "kpk_competent": self.jurisdiction.kpk_competent,
                "competent_body": self.jurisdiction.competent_body,
                "reasons": [r.to_dict() for r in self.jurisdiction.reasons],
                "max_amount": self.jurisdiction.max_amount,
            },
            **entity_fields(self.dedup),
            "completeness": completeness_fields(self.completeness),
        }


def entity_fields(found: dedup.ReportFeatures) -> dict[str, Any]:
    """The stored fields that entity extraction gives (JSON form): what a duplicate check reads of
    a stored report besides its text, and what `reread_entities` replaces."""
    return {
        "entities": found.entities.to_dict(),
        "links": list(found.links),
        "personal": list(found.personal),
        "streets": sorted([name, number] for name, number in found.streets),
    }


def completeness_fields(found: Completeness) -> dict[str, Any]:
    """The stored form of a completeness assessment (what the case page shows, and what reading
    the report again with the reporter's answers replaces)."""
    return {
        "score": round(found.score, 3),
        "present": list(found.present),
        "missing": list(found.missing),
        "questions": list(found.questions),
    }


@dataclass(frozen=True)
class EntityReading:
    """A report's entities read again (after entity extraction changed, `dedup.ENTITY_VERSION`)."""

    fields: dict[str, Any]  # replaces the same keys of the stored features
    entity_keys: list[int]
    max_amount: int | None


def reread_entities(text: str, *, region_hint: str | None = None) -> EntityReading:
    """Only the entity part of `triage_text`, for reports triaged by an older version: category,
    region, completeness and jurisdiction stay as officers have seen them."""
    found = dedup.features("stored", (text or "")[:MAX_TRIAGE_CHARS], region_hint=region_hint)
    return EntityReading(entity_fields(found), dedup.entity_keys(found), found.entities.max_amount or None)


def triage_text(
    text: str,
    *,
    region_hint: str | None = None,
    fields: dict[str, Any] | None = None,
    model: Model | None = None,
) -> TriageFeatures:
    """Reads one report. Never raises on odd input: empty, huge, binary or emoji-only text gives
    empty features."""
    text = (text or "")[:MAX_TRIAGE_CHARS]
    found = dedup.features("new", text, region_hint=region_hint)
    entities = found.entities
    regions = tuple(locate(text, region_hint=region_hint))
    classification = classify(text, model=model)
    return TriageFeatures(
        normalized=found.text,
        dedup=found,
        entities=entities,
        regions=regions,
        classification=classification,
        jurisdiction=assess_jurisdiction(entities, text, category=classification.category),
        completeness=assess_completeness(text, entities, fields=fields, category=classification.category),
        signature=found.signature,
    )
