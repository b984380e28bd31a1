"""Background triage: every new report is read once it is stored; failures are retried with backoff."""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.tasks import task

from sigap.core import clock

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


class TriageFailed(Exception):
    """A triage attempt failed; the report stays marked and is retried."""


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
        # where it failed (code lines only: the message is left out, it may quote the report)
        log.warning("triage of report %s failed (attempt %s): %s\n%s", report_id, attempts,
                    type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)).rstrip())
        if attempts < MAX_ATTEMPTS:
            enqueue_triage(report_id, delay=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])
        # The task's result row keeps a traceback: it names the error's kind only, never its message,
        # which may quote the report's text ("invalid literal for int() with base 10: '...'").
        raise TriageFailed(f"triage of report {report_id} failed: {type(exc).__name__}") from None
