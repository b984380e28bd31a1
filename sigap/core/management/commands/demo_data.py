"""`sigap demo-data`: demo agencies, users and N generated reports (fast bulk path)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

DEFAULT_PASSWORD = "sigap-demo-2026"


class Command(BaseCommand):
    help = "Creates the demo agencies and users and writes generated reports (Indonesian, sealed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reports", type=int, default=2000, help="How many reports to write (default 2000)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Seed of the generator (same seed, same texts)."
        )
        parser.add_argument(
            "--truth",
            type=Path,
            default=None,
            help="Write the duplicate ground truth (JSON lines) to this file.",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Write no reports when the database already holds some."
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-logins", action="store_true", help="Do not list the demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        from sigap.cases.models import Report
        from sigap.demo.agencies import ensure_demo_agencies, ensure_demo_users
        from sigap.demo.writer import write_demo_reports

        password = os.environ.get("SIGAP_DEMO_PASSWORD") or DEFAULT_PASSWORD
        agencies = ensure_demo_agencies()
        logins = ensure_demo_users(password)
        if options["no_logins"]:
            self.stdout.write(f"{len(agencies)} demo agencies and {len(logins)} demo logins ready.")
        else:
            self.stdout.write(
                f"{len(agencies)} demo agencies ready. Logins (password from SIGAP_DEMO_PASSWORD, "
                f"default {DEFAULT_PASSWORD!r}; set only when a user is created):"
            )
            for login in logins:
                self.stdout.write(f"  {login.username:<28} {login.role:<32} {login.instansi}")

        n = options["reports"]
        if options["if_empty"] and Report.objects.exists():
            self.stdout.write(
                f"Reports already exist ({Report.objects.count()}): nothing written (--if-empty)."
            )
            return
        if n <= 0:
            return

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0.0
            self.stdout.write(f"  {done:>9,} / {total:,} reports  {seconds:7.1f} s  {rate:8,.0f} reports/s")

        stats = write_demo_reports(
            n=n,
            seed=options["seed"],
            batch_size=options["batch_size"],
            truth_path=options["truth"],
            progress=progress if n > 5000 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {stats.reports:,} reports in {stats.cases:,} cases ({stats.merged:,} merged "
                f"as duplicates, "
                f"{stats.duplicate_groups:,} duplicate groups, {stats.template_groups:,} template groups), "
                f"{stats.audit_events:,} audit events in {stats.seconds:.1f} s: "
                f"{stats.per_second:,.0f} reports/s."
            )
        )
        if options["truth"]:
            self.stdout.write(f"Duplicate ground truth: {options['truth']}")
