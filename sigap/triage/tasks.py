"""Background triage: every new report is read once it is stored; failures are retried."""

from __future__ import annotations

import logging

from django.tasks import task

log = logging.getLogger(__name__)


def enqueue_triage(report_id: int) -> None:
    """Queues triage for a stored report. Never raises: a report is never lost or blocked by triage;
    it stays marked "triage pending" and `sigap triage retry` picks it up again."""
    try:
        triage_report_task.enqueue(report_id)
    except Exception:  # noqa: BLE001 - the queue being down must not fail the intake
        log.exception("could not queue triage for report %s; it stays pending", report_id)


@task(queue_name="triage")
def triage_report_task(report_id: int) -> None:
    from sigap.triage.actions import triage_report

    triage_report(report_id=report_id)
