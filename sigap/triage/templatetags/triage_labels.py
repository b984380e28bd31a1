"""Template filters that put triage's stored codes into words (see `sigap.triage.labels`)."""

from __future__ import annotations

from django import template

from sigap.triage import labels

register = template.Library()

register.filter("category_label", labels.category_label)
register.filter("sector_label", labels.sector_label)
register.filter("element_label", labels.element_label)
register.filter("shared_label", labels.shared_label)
register.filter("body_label", labels.body_label)
register.filter("reason_text", labels.reason_text)
register.filter("entity_rows", labels.entity_rows)
register.filter("shared_rows", labels.shared_rows)
