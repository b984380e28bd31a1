"""A referral (pelimpahan): one agency hands a case it is not competent for to another agency.

The row belongs to the receiving agency (`instansi`): it is that agency's inbox, and the dossier is
sealed with that agency's key. The referring agency finds its referrals through its own case
(`from_case`, `from_instansi`) and sees their state, never what the receiver does with the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.models import TenantOwned

if TYPE_CHECKING:
    from sigap.cases.models import Case

PURPOSE_DOSSIER = "referral.dossier"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A referral that ended without the case: declined by the receiving agency, or withdrawn.
CAME_BACK = frozenset({ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN})


class Referral(TenantOwned):
    """A case handed to the agency `instansi` by `from_instansi`; accepted, it becomes a case there.
    Declined by the receiver or withdrawn by the sender, it keeps its dates and no contents."""

    from_instansi = models.ForeignKey(
        "tenants.Instansi", on_delete=models.PROTECT, related_name="+", verbose_name=_("referring agency")
    )
    from_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals_out", verbose_name=_("referred case")
    )
    from_case_number = models.CharField(_("referring agency's case number"), max_length=40)
    step = models.CharField(max_length=40)  # the workflow step that referred it
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent"))
    answer_due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the reports' contents, the case summary and the reason, sealed with the receiver's key
    dossier_sealed = models.BinaryField()
    # what the queue shows without opening the dossier (as on a case: sealed content, plain metadata)
    category = models.CharField(_("category"), max_length=40, blank=True)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    region_code = models.CharField(_("region"), max_length=13, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)
    report_count = models.PositiveIntegerField(default=1)
    # the referring agency's reports that went with it: their reporters are told when it is accepted
    report_ids = models.JSONField(default=list)
    evidence_count = models.PositiveIntegerField(default=0)
    files_not_copied = models.PositiveIntegerField(default=0)  # on acceptance: unreadable, left behind
    first_received_at = models.DateTimeField(_("first received"))
    accepted_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the receiver's reason for declining, a note on the referring agency's case (sealed with its key)
    decline_note = models.ForeignKey(
        "cases.CaseNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["instansi", "status", "sent_at"]),
            models.Index(fields=["from_instansi", "from_case"]),
            models.Index(fields=["status", "answer_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_number} -> {self.instansi_id}"

    @property
    def overdue(self) -> bool:
        """Still waiting for an answer after the day it was due."""
        return self.status == ReferralStatus.SENT and self.answer_due_at < clock.now()


def last_referral_status(case: Case) -> str | None:
    """The status of the referral to another agency that put `case` in its present state, None
    when there is none (a case never referred out, or referred to a unit of its own agency since).
    A case goes to one agency at a time (cases.workflow), so a live referral is always the newest:
    one in `CAME_BACK` means none is live. Steps set the state before they send a referral, so
    only a referral sent since the case's last change of state counts."""
    found = (
        Referral.objects.filter(from_instansi_id=case.instansi_id, from_case_id=case.pk)
        .order_by("-sent_at", "-pk")
        .values_list("status", "sent_at")
        .first()
    )
    if found is None or found[1] < case.status_changed_at:
        return None
    return found[0]
