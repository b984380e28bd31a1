"""An officer confirms or corrects a case's category and sector (the labels triage learns from)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.access import access_case
from sigap.cases.models import Case
from sigap.core.errors import PermissionDenied, ValidationFailed
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.triage.lib.taxonomy import CATEGORIES, SECTORS


@transaction.atomic
def set_category(*, actor: Actor, case_id: int, category: str, sector: str = "") -> Case:
    case = access_case(actor, case_id, cap=Cap.CASE_READ, for_update=True)
    if not (actor.can(Cap.CASE_VERIFY) or actor.can(Cap.CASE_ANALYSE)):
        raise PermissionDenied(_("Your role in this agency does not allow this."))
    if category not in CATEGORIES:
        raise ValidationFailed(_("Choose a category from the list."), {"category": _("Unknown category.")})
    if sector and sector not in SECTORS:
        raise ValidationFailed(_("Choose a sector from the list."), {"sector": _("Unknown sector.")})
    before = (case.category, case.sector, case.category_confirmed)
    case.category, case.sector, case.category_confirmed = category, sector, True
    case.save(update_fields=["category", "sector", "category_confirmed", "updated_at"])
    record(
        actor=actor,
        action="case.category_confirmed",
        obj=case,
        data={"category": category, "sector": sector, "before": list(before[:2]), "was_confirmed": before[2]},
    )
    return case
