"""Background triage: every new report is read once it is stored; failures are retried with backoff."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from sigap.core import clock

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


def enqueue_triage(report_id: int, *, delay: int = 0) -> None:
    """Queues triage for a stored report. Never raises: a report is never lost or blocked by triage;
    it stays marked "triage pending" and `sigap triage run-pending` picks it up again."""
    try:
        if delay:
            triage_report_task.using(run_after=clock.now() + dt.timedelta(seconds=delay)).enqueue(report_id)
        else:
            triage_report_task.enqueue(report_id)
    except Exception:  # noqa: BLE001 - the queue being down must not fail the intake
        log.exception("could not queue triage for report %s; it stays pending", report_id)


@task(queue_name="triage")
def triage_report_task(report_id: int) -> None:
    from sigap.triage.actions import MAX_ATTEMPTS, mark_failed, triage_report

    try:
        triage_report(report_id=report_id)
    except Exception as exc:
        attempts = mark_failed(report_id=report_id, error=exc)
        log.warning("triage of report %s failed (attempt %s): %s", report_id, attempts, type(exc).__name__)
        if attempts < MAX_ATTEMPTS:
            enqueue_triage(report_id, delay=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])
        raise
