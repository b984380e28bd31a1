"""Assigning officers to a case."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.access import access_case
from sigap.cases.models import Assignment, Case
from sigap.core.errors import ValidationFailed
from sigap.tenants.access import Actor
from sigap.tenants.models import Membership
from sigap.tenants.permissions import Cap


@transaction.atomic
def assign_case(*, actor: Actor, case_id: int, user_id: int) -> Case:
    case = access_case(actor, case_id, cap=Cap.CASE_ASSIGN)
    if not Membership.objects.filter(user_id=user_id, instansi_id=case.instansi_id, active=True).exists():
        raise ValidationFailed(
            _("Only officers of this agency can be assigned."), {"user": _("Not a member of this agency.")}
        )
    user = get_user_model().objects.get(pk=user_id)
    __, created = Assignment.objects.get_or_create(instansi=case.instansi, case=case, user=user)
    if created:
        record(actor=actor, action="case.assigned", obj=case, data={"user": user_id})
    return case
