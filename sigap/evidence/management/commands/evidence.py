"""`sigap evidence cleanup`: delete encrypted files that no Evidence row points to, and `.part`
files of interrupted uploads. Refusals and failed submissions delete their own prepared files; what
is left here comes from a process that died between preparing a file and committing its row."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.audit.chain import append
from sigap.evidence.models import Evidence
from sigap.evidence.storage import evidence_root


class Command(BaseCommand):
    help = "Evidence storage maintenance."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        clean = sub.add_parser("cleanup", help="delete orphaned encrypted files")
        clean.add_argument("--older-than-hours", type=float, default=24.0)
        clean.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = time.time() - options["older_than_hours"] * 3600
        removed = 0
        root = evidence_root()
        for path in root.glob("*/*/*") if root.exists() else []:
            if not path.is_file() or path.stat().st_mtime > cutoff:
                continue
            key = path.name.removesuffix(".part")
            if path.name.endswith(".part") or not Evidence.objects.filter(storage_key=key).exists():
                if not options["dry_run"]:
                    path.unlink(missing_ok=True)
                removed += 1
        if removed and not options["dry_run"]:
            append(
                instansi_id=None,
                actor_user_id=None,
                actor_label="cli:evidence",
                action="evidence.orphans_removed",
                data={"files": removed},
            )
        self.stdout.write(f"{'would remove' if options['dry_run'] else 'removed'} {removed} orphaned files")
