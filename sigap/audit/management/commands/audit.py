"""`sigap audit verify`: checks every audit chain and names each changed, inserted or deleted row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.audit.chain import verify
from sigap.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chains."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        v = sub.add_parser("verify", help="check every chain (or one agency's)")
        v.add_argument("--chain", type=int, help="agency id (0 for global events)")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify(chain=options.get("chain"))
        total = AuditEvent.objects.count()
        if problems:
            for p in problems:
                self.stderr.write(f"TAMPERED: {p.message}")
            raise CommandError(f"audit trail damaged: {len(problems)} problem(s) in {total} events")
        self.stdout.write(f"audit trail intact: {total} events verified")
