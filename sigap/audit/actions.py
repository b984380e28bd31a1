"""The one function actions call to audit what they did."""

from __future__ import annotations

from typing import Any

from django.db import models

from sigap.audit.chain import append
from sigap.audit.models import AuditEvent
from sigap.tenants.access import Actor


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    instansi_id: int | None = None,
) -> AuditEvent:
    """Writes an audit event to the chain of the actor's agency (or `instansi_id`)."""
    return append(
        instansi_id=instansi_id if instansi_id is not None else actor.instansi.pk,
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
