"""The reporter-mailbox card on the officer's case page."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.cases.models import Case
from sigap.core.errors import NotFound
from sigap.reporters import selectors
from sigap.reporters.mailbox import OFFICER_KINDS
from sigap.reporters.models import MessageKind

register = template.Library()


@register.inclusion_tag("reporters/case_mailbox_card.html", takes_context=True)
def case_mailbox(context: template.Context, case: Case) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    try:
        box = selectors.case_mailbox(actor=actor, case=case) if actor is not None else None
    except NotFound:
        box = None
    return {
        "box": box,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "kinds": [(k.value, k.label) for k in OFFICER_KINDS if k != MessageKind.ANSWER],
    }
