"""`sigap lapor-import --instansi SLUG FILE.xlsx`: an SP4N-LAPOR! export into an agency."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.core.errors import NotFound
from sigap.intake.lapor.actions import import_lapor
from sigap.intake.lapor.parse import NotAnExport, read_xlsx
from sigap.tenants.access import access_instansi_by_slug, system_actor


class Command(BaseCommand):
    help = (
        "Imports an SP4N-LAPOR! export (Laporan Ringkas, XLSX) into an agency: one report per row, "
        "finished rows archived as history; rows that cannot be read are listed and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The XLSX file exported from SP4N-LAPOR!.")
        parser.add_argument("--instansi", required=True, help="The agency's slug (e.g. lampung).")
        parser.add_argument("--dry-run", action="store_true", help="Read and check every row, store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            instansi = access_instansi_by_slug(options["instansi"])
        except NotFound:
            raise CommandError(f"No agency with the slug {options['instansi']!r}.") from None
        try:
            export = read_xlsx(str(path))
        except NotAnExport as exc:
            raise CommandError(str(exc)) from None
        if export.agency_name and export.agency_name != instansi.name:
            self.stderr.write(
                f"Note: the export names {export.agency_name!r}; importing into {instansi.name!r} as asked."
            )
        result = import_lapor(actor=system_actor(instansi), export=export, dry_run=options["dry_run"])
        verb = "would import" if result.dry_run else "imported"
        self.stdout.write(
            f"{instansi.name}: {verb} {len(result.imported)} reports ({len(result.archived)} finished in "
            f"SP4N-LAPOR!, archived as history); {len(result.updated)} imported before and finished there "
            f"since, archived now; {len(result.already)} imported before, left as they are; "
            f"{len(result.problems)} lines refused."
        )
        if export.other_sheets:
            skipped = ", ".join(export.other_sheets)
            self.stderr.write(f"Note: only the export's sheet was read, not: {skipped}.")
        for problem in result.problems:
            self.stdout.write(f"  line {problem.line} {problem.tracking_id or '-'}: {problem.reason}")
