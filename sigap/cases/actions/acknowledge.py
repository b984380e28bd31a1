"""An officer records that the reporter was told their report arrived, where SIGAP could not tell
them itself (a letter answered by letter, an e-mail by e-mail): the acknowledgement deadline is met
then, not on arrival."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigap.audit.actions import record
from sigap.cases.access import access_case
from sigap.cases.models import Case, Channel, Deadline, DeadlineKind
from sigap.core import clock
from sigap.core.errors import InvalidTransition, ValidationFailed
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

# Channels on which the reporter learns at once that the report arrived, with its tracking number:
# the portal's receipt page, the officer who takes the call or the visit, a partner system's answer,
# the referring agency (which acknowledged the report when it arrived there).
# On the others (a letter, an e-mail, a chat or text message typed in by an officer) an answer must
# be sent back, and the deadline stays open until an officer records it here.
ACKNOWLEDGED_ON_ARRIVAL = frozenset(
    {Channel.WEB, Channel.PHONE, Channel.WALK_IN, Channel.API, Channel.LAPOR, Channel.REFERRAL}
)


class AcknowledgedBy(models.TextChoices):
    LETTER = "letter", gettext_lazy("Letter")
    EMAIL = "email", gettext_lazy("E-mail")
    MESSAGE = "message", gettext_lazy("WhatsApp or SMS message")
    PHONE = "phone", gettext_lazy("Phone call")
    IN_PERSON = "in_person", gettext_lazy("In person")


@transaction.atomic
def acknowledge_receipt(*, actor: Actor, case_id: int, by: str) -> Case:
    """Marks the case's open acknowledgement deadline met, saying how the reporter was told."""
    case = access_case(actor, case_id, cap=Cap.CASE_VERIFY, for_update=True)
    if by not in AcknowledgedBy.values:
        raise ValidationFailed(_("Say how the reporter was told."), {"by": _("Choose from the list.")})
    now = clock.now()
    met = Deadline.objects.filter(
        instansi_id=case.instansi_id, case=case, kind=DeadlineKind.ACKNOWLEDGE, met_at__isnull=True
    ).update(met_at=now)
    if not met:
        raise InvalidTransition(_("Receipt of this case was already acknowledged."))
    record(actor=actor, action="case.receipt_acknowledged", obj=case, data={"by": by})
    return case
