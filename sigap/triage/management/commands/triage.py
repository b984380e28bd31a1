"""`sigap triage ...`: bulk triage tools.

run-pending            triage every report still pending or failed (the task does it one by one)
index                  bulk-index reports for duplicate detection (history imports); after an
                       upgrade, re-sign signatures and re-read entities that an older version made
train --instansi SLUG  retrain the agency's category model from officer-confirmed labels
evaluate --input F --label-field L   per-class precision/recall, macro-F1, next to a TF-IDF baseline
dedup --input F --output G           group a whole corpus into duplicate groups
locate --input F / classify --input F   one JSON line per input with regions / category
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.triage.lib.jsonl import address_of, read_objects, text_of


class Command(BaseCommand):
    help = "Triage tools: run-pending, index, train, evaluate, dedup, locate, classify."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        run = sub.add_parser("run-pending", help="triage reports still pending or failed")
        run.add_argument("--limit", type=int, default=0)
        idx = sub.add_parser(
            "index",
            help="bulk-index new reports; re-sign signatures and re-read entities that an older version made",
        )
        idx.add_argument("--batch-size", type=int, default=2000)
        idx.add_argument("--workers", type=int, default=0)
        idx.add_argument("--dry-run", action="store_true", help="only count what would be done")
        train = sub.add_parser("train", help="retrain an agency's category model from confirmed labels")
        train.add_argument("--instansi", required=True, help="agency slug")
        train.add_argument("--min-labels", type=int, default=30)
        ev = sub.add_parser("evaluate", help="evaluate the classifier on a labelled JSON-lines file")
        ev.add_argument("--input", required=True)
        ev.add_argument("--label-field", required=True)
        ev.add_argument("--text-field", default="text")
        dd = sub.add_parser("dedup", help="group a JSON-lines corpus into duplicate groups")
        dd.add_argument("--input", required=True)
        dd.add_argument("--output", required=True)
        dd.add_argument("--threshold", type=float, default=None)
        dd.add_argument("--workers", type=int, default=0, help="processes reading reports (0: one per core)")
        for name in ("locate", "classify"):
            p = sub.add_parser(name, help=f"{name} every line of a JSON-lines file")
            p.add_argument("--input", required=True)
            p.add_argument("--text-field", default="text")
            p.add_argument("--region-hint", default=None, help="agency region code, e.g. 35.78")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["sub"].replace("-", "_"))(options)

    def _run_pending(self, options: dict[str, Any]) -> None:
        from sigap.cases.models import Report, TriageStatus
        from sigap.triage.actions import mark_failed, triage_report

        ids = (
            Report.objects.filter(triage_status__in=[TriageStatus.PENDING, TriageStatus.FAILED])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if options["limit"]:
            ids = ids[: options["limit"]]
        done = failed = 0
        for report_id in list(ids):
            try:
                triage_report(report_id=report_id)
                done += 1
            except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
                mark_failed(report_id=report_id, error=exc)
                failed += 1
        self.stdout.write(f"triaged {done} report(s); {failed} failed and stay pending for retry")

    def _index(self, options: dict[str, Any]) -> None:
        import time

        from sigap.cases.models import Report
        from sigap.triage.bulk import index_reports, reread_stale, resign_stale, stale_entity_ids, stale_ids

        started = time.perf_counter()
        ids = list(Report.objects.filter(triage__isnull=True).values_list("pk", flat=True))
        if options["dry_run"]:  # what a run would do: for monitoring and upgrade checklists
            self.stdout.write(f"{len(ids)} report(s) not indexed; {len(stale_ids())} signed by an "
                              f"older version; {len(stale_entity_ids())} with entities read by an older "
                              "version")
            return
        stats = index_reports(ids, batch_size=options["batch_size"], workers=options["workers"] or None)
        seconds = time.perf_counter() - started
        self.stdout.write(f"indexed {stats.reports} report(s), {stats.keys} keys in {seconds:.1f} s "
                          f"({stats.reports / max(seconds, 1e-9):.0f} reports/s)")
        started = time.perf_counter()
        stats = resign_stale(batch_size=options["batch_size"], workers=options["workers"] or None)
        seconds = time.perf_counter() - started
        self.stdout.write(f"re-signed {stats.reports} report(s) signed by an older version "
                          f"in {seconds:.1f} s")
        started = time.perf_counter()
        stats = reread_stale(batch_size=options["batch_size"], workers=options["workers"] or None)
        seconds = time.perf_counter() - started
        self.stdout.write(f"re-read the entities of {stats.reports} report(s) read by an older version "
                          f"({stats.keys} entity keys) in {seconds:.1f} s")

    def _train(self, options: dict[str, Any]) -> None:
        from sigap.triage.training import train_instansi

        try:
            outcome = train_instansi(slug=options["instansi"], min_labels=options["min_labels"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(outcome)

    def _evaluate(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib.classify import evaluate_jsonl

        if not Path(options["input"]).exists():
            raise CommandError(f"{options['input']} does not exist.")
        try:
            report = evaluate_jsonl(
                options["input"], options["label_field"], text_field=options["text_field"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.format_table())

    def _dedup(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib import dedup

        if not Path(options["input"]).exists():
            raise CommandError(f"{options['input']} does not exist.")
        kwargs = {} if options["threshold"] is None else {"threshold": options["threshold"]}
        workers = options["workers"] or None
        stats = dedup.dedup_jsonl(options["input"], options["output"], workers=workers, **kwargs)
        self.stdout.write(f"{stats}")

    def _locate(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib.gazetteer import best_kecamatan, locate, locate_in_corpus

        corpus_region = None if options["region_hint"] else self._corpus_region(options)
        for lineno, item in read_objects(options["input"]):
            if item is None:
                self.stderr.write(f"line {lineno}: not a JSON object, skipped")
                continue
            text = text_of(item, options["text_field"])
            address = address_of(item)
            hint = item.get("region_hint") or options["region_hint"]
            if hint:
                hits = locate(text, region_hint=hint, address=address)
                kecamatan = best_kecamatan(text, region_hint=hint, address=address)
            else:  # the corpus's region, if one was found
                hits, kecamatan = locate_in_corpus(text, corpus_region=corpus_region, address=address)
            self.stdout.write(
                json.dumps(
                    {
                        "id": item.get("id", lineno),
                        "kecamatan": kecamatan,
                        "regions": [
                            {"code": h.code, "name": h.name, "level": h.level, "score": round(h.score, 3)}
                            for h in hits[:5]
                        ],
                    },
                    ensure_ascii=False,
                )
            )

    def _corpus_region(self, options: dict[str, Any]) -> str | None:
        """Without --region-hint: the region a file's reports are mostly about (an agency's history
        is about its own area), found in a first reading; None when none clearly leads."""
        from sigap.triage.lib.gazetteer import infer_region, region_name

        if not Path(options["input"]).is_file():  # standard input, a pipe: it can be read only once
            self.stderr.write("no --region-hint and the input is a stream: places are read without a region")
            return None
        rows = (
            (text_of(item, options["text_field"]), address_of(item))
            for _, item in read_objects(options["input"])
            if item is not None and not item.get("region_hint")
        )
        code = infer_region(rows)
        if code:
            self.stderr.write(
                f"no --region-hint: the reports are mostly about {region_name(code)} ({code}), "
                "which settles place names that other regions share; pass --region-hint to choose"
            )
        return code

    def _classify(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib.classify import classify

        for lineno, item in read_objects(options["input"]):
            if item is None:
                self.stderr.write(f"line {lineno}: not a JSON object, skipped")
                continue
            c = classify(text_of(item, options["text_field"]))
            self.stdout.write(
                json.dumps(
                    {
                        "id": item.get("id", lineno),
                        "category": c.category,
                        "confidence": round(c.confidence, 3),
                        "evidence": list(c.evidence),
                        "sectors": [k for k, _, _ in c.sectors],
                    },
                    ensure_ascii=False,
                )
            )
