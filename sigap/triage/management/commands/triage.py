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

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.triage.lib.jsonl import (
    TEXT_FIELDS,
    UnreadableInput,
    address_of,
    fields_seen,
    read_objects,
    report_text,
)
from sigap.triage.lib.pipeline import MAX_TRIAGE_CHARS

INPUT_HELP = (
    "a JSON-lines file, one report per line: {\"id\": ..., \"text\": ..., \"title\"?, ...}; the text may "
    "also be under isi, keluhan, laporan, uraian, pengaduan, content, body or description, an address "
    "under address, alamat, lokasi or location. '-' reads standard input"
)
TEXT_FIELD_HELP = "the field holding the report text (default: text, then the other names it goes by)"
MAX_LINES_SHOWN = 20  # problem lines named one by one on standard error; the rest are counted


def _threshold(value: str) -> float:
    number = float(value)
    if not (math.isfinite(number) and 0.0 < number <= 1.0):
        raise argparse.ArgumentTypeError("a score above 0 and at most 1")
    return number


def _has_words(text: str) -> bool:
    """Whether a text holds a word to read: emoji, digits, binary or "aaaa" do not."""
    from sigap.triage.lib.normalize import normalize_text

    words = normalize_text(text[:MAX_TRIAGE_CHARS]).split()
    return any(sum(ch.isalpha() for ch in tok) >= 2 for tok in words)


def _readable(path: str) -> str:
    if path != "-" and not Path(path).is_file():
        raise CommandError(f"{path}: no such file" if not Path(path).exists() else f"{path} is not a file")
    return path


def _writable(path: str) -> str:
    if path == "-":
        return path
    target = Path(path)
    if target.is_dir():
        raise CommandError(f"{path} is a folder: name the file to write")
    if not target.parent.is_dir():
        raise CommandError(f"{target.parent}: no such folder")
    if not os.access(target.parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise CommandError(f"{path}: not allowed to write there")
    return path


class Command(BaseCommand):
    help = "Triage tools: run-pending, index, train, evaluate, dedup, locate, classify."

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except BrokenPipeError:  # the reader stopped (`| head`): nothing left to say to it
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return None
        except UnreadableInput as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # a full disk, a file that vanished: one sentence, no traceback
            where = f"{exc.filename}: " if exc.filename else ""
            raise CommandError(f"{where}{exc.strerror or exc}") from exc

    def add_arguments(self, parser: CommandParser) -> None:
        from sigap.triage.lib.dedup import DEFAULT_THRESHOLD

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
        ev = sub.add_parser(
            "evaluate",
            help="evaluate the classifier on a labelled JSON-lines file",
            description="Splits the labelled lines (80/20, stratified by label, fixed seed), trains SIGAP's "
            "classifier and a word 1-2 gram TF-IDF + logistic regression baseline on the same part, and "
            "prints per-class precision, recall and F1 and the macro-F1 of both. Labels are read without "
            "regard to case and spaces; classes with one item are trained on but not scored.",
        )
        ev.add_argument("--input", required=True, help=INPUT_HELP)
        ev.add_argument("--label-field", required=True, help="the field holding each line's label")
        ev.add_argument("--text-field", default="text", help=TEXT_FIELD_HELP)
        dd = sub.add_parser(
            "dedup",
            help="group a JSON-lines corpus into duplicate groups",
            description="Writes one JSON line per group of two or more reports judged to be one matter: "
            "{\"ids\": [...], \"score\": the lowest pair score, \"pairs\": [[id, id, score], ...]}. No id is "
            "in two groups, and a group is never chained through a report that shares nothing with the "
            "others. Lines without an id, or repeating one, are skipped and named on standard error.",
        )
        dd.add_argument("--input", required=True, help=INPUT_HELP)
        dd.add_argument("--output", required=True, help="the file for the groups ('-': standard output)")
        dd.add_argument("--threshold", type=_threshold, default=None,
                        help=f"the pair score from which two reports are one matter ({DEFAULT_THRESHOLD})")
        dd.add_argument("--workers", type=int, default=0, help="processes reading reports (0: one per core)")
        for name, what in (("locate", "the kecamatan and the regions (Kemendagri codes) it names"),
                           ("classify", "the category, its confidence and evidence words, and the sectors")):
            p = sub.add_parser(
                name,
                help=f"{name} every line of a JSON-lines file",
                description=f"Prints one JSON line per input line, in input order, with its id and {what}. "
                "A line's title is read with its text.",
            )
            p.add_argument("--input", required=True, help=INPUT_HELP)
            p.add_argument("--text-field", default="text", help=TEXT_FIELD_HELP)
            p.add_argument(
                "--region-hint",
                default=None,
                help="the agency's region code, e.g. 35.78 (without it, locate finds the region most "
                "of the file is about)" if name == "locate" else argparse.SUPPRESS,
            )

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

        path = _readable(options["input"])
        try:
            report = evaluate_jsonl(path, options["label_field"], text_field=options["text_field"])
        except UnreadableInput:
            raise
        except ValueError as exc:
            raise CommandError(f"{exc}{self._fields_note(path, options['text_field'])}") from exc
        self.stdout.write(report.format_table())

    def _dedup(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib import dedup

        path, output = _readable(options["input"]), _writable(options["output"])
        if path != "-" and output != "-" and Path(path).resolve() == Path(output).resolve():
            raise CommandError(f"{output} is the input: name another file for the groups")
        kwargs = {} if options["threshold"] is None else {"threshold": options["threshold"]}
        workers = options["workers"] or None
        problems: list[tuple[int, str]] = []
        if options["workers"] < 0:
            raise CommandError("--workers counts processes: 0 (one per core) or more")
        stats = dedup.dedup_jsonl(path, output, workers=workers, problems=problems, **kwargs)
        self._tell_problems(problems)
        if not stats.reports:
            raise CommandError(f"no report could be read from {path}{self._fields_note(path)}")
        said = "standard output" if output == "-" else output
        self.stderr.write(
            f"{stats.reports} report(s) read, {len(problems)} line(s) skipped; {stats.groups} group(s) "
            f"of {stats.grouped} report(s) written to {said}"
        )
        if stats.skipped_buckets:
            self.stderr.write(
                f"{stats.skipped_buckets} set(s) of over {dedup.MAX_BUCKET} reports sharing one text band "
                "were too large to compare pair by pair; their reports were compared through their other "
                "bands and entities"
            )

    def _locate(self, options: dict[str, Any]) -> None:
        from sigap.triage.lib.gazetteer import best_kecamatan, locate, locate_in_corpus

        _readable(options["input"])
        self._known_region(options["region_hint"])
        corpus_region = None if options["region_hint"] else self._corpus_region(options)
        problems: list[tuple[int, str]] = []
        read = 0
        for lineno, item in read_objects(options["input"]):
            if item is None:
                problems.append((lineno, "not a JSON object, skipped"))
                continue
            text = report_text(item, options["text_field"])[:MAX_TRIAGE_CHARS]  # as live triage reads it
            read += bool(text.strip())
            self._check_line(item, lineno, text, problems)
            address = address_of(item)
            own_hint = item.get("region_hint")
            if own_hint is not None and not isinstance(own_hint, str):
                problems.append((lineno, "region_hint is not a string (such as \"35.78\"), not used"))
                own_hint = None
            hint = own_hint or options["region_hint"]
            if hint:
                hits = locate(text, region_hint=hint, address=address)
                kecamatan = best_kecamatan(text, region_hint=hint, address=address)
            else:  # the corpus's region, if one was found
                hits, kecamatan = locate_in_corpus(text, corpus_region=corpus_region, address=address)
            self.stdout.write(
                json.dumps(
                    {
                        "id": item.get("id"),
                        "line": lineno,
                        "kecamatan": kecamatan,
                        "regions": [
                            {"code": h.code, "name": h.name, "level": h.level, "score": round(h.score, 3)}
                            for h in hits[:5]
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        self._finish(options["input"], read, problems, options["text_field"])

    def _corpus_region(self, options: dict[str, Any]) -> str | None:
        """Without --region-hint: the region a file's reports are mostly about (an agency's history
        is about its own area), found in a first reading; None when none clearly leads."""
        from sigap.triage.lib.gazetteer import infer_region, region_name

        if not Path(options["input"]).is_file():  # standard input, a pipe: it can be read only once
            self.stderr.write("no --region-hint and the input is a stream: places are read without a region")
            return None
        rows = (
            (report_text(item, options["text_field"]), address_of(item))
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

        _readable(options["input"])
        problems: list[tuple[int, str]] = []
        read = 0
        for lineno, item in read_objects(options["input"]):
            if item is None:
                problems.append((lineno, "not a JSON object, skipped"))
                continue
            text = report_text(item, options["text_field"])
            read += bool(text.strip())
            self._check_line(item, lineno, text, problems)
            c = classify(text) if _has_words(text) else None  # nothing to read: no category, not a guess
            if c is None and text.strip():
                problems.append((lineno, "no word to read (emoji, digits or symbols only): no category"))
            self.stdout.write(
                json.dumps(
                    {
                        "id": item.get("id"),
                        "line": lineno,
                        "category": c.category if c else None,
                        "confidence": round(c.confidence, 3) if c else None,
                        "evidence": list(c.evidence) if c else [],
                        "sectors": [k for k, _, _ in c.sectors] if c else [],
                    },
                    ensure_ascii=False,
                )
            )
        self._finish(options["input"], read, problems, options["text_field"])

    # -- what the corpus tools say about their input -----------------------------------------------

    def _check_line(self, item: dict[str, Any], lineno: int, text: str,
                    problems: list[tuple[int, str]]) -> None:
        if item.get("id") is None:
            problems.append((lineno, "no id: written with \"id\": null and its line number"))
        if not text.strip():
            problems.append((lineno, "no text: read as empty"))

    def _tell_problems(self, problems: list[tuple[int, str]]) -> None:
        for lineno, what in problems[:MAX_LINES_SHOWN]:
            self.stderr.write(f"line {lineno}: {what}")
        if len(problems) > MAX_LINES_SHOWN:
            self.stderr.write(f"... and {len(problems) - MAX_LINES_SHOWN} more line(s) like these")

    def _finish(self, path: str, read: int, problems: list[tuple[int, str]], field: str = "text") -> None:
        self._tell_problems(problems)
        if not read:
            raise CommandError(f"no line of {path} has a text{self._fields_note(path, field)}")

    @staticmethod
    def _fields_note(path: str, field: str = "text") -> str:
        seen = fields_seen(path)
        looked = ", ".join(TEXT_FIELDS) if field == "text" else field  # a field named is read alone
        return f" (text looked for in: {looked}; the file's fields: {', '.join(seen) or 'none'})"

    @staticmethod
    def _known_region(code: str | None) -> None:
        from sigap.triage.lib.gazetteer import region_name

        if code and not region_name(code):
            raise CommandError(f"--region-hint {code}: not a Kemendagri region code (e.g. 35.78)")
