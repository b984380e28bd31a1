"""The bulk writer of demo reports: reporters, cases, reports, deadlines, numbers and audit, fast.

Contents are sealed exactly like the real intake path (`seal_content`, `seal_text(PURPOSE_CASE)`
with the agency's data key, cached by sigap.core.crypto after its first use); numbers come from
`numbering.reserve` (once per batch, agency, kind and year) and `tracking_number`/`case_number`.

Rows are inserted in bulk (`sigap.core.bulkdb`: COPY on PostgreSQL) on explicit primary keys
(reserved from MAX(id) at the start; sequences are reset afterwards on PostgreSQL): Django's
per-object overhead in `bulk_create` dominated the cost. The writer is therefore meant to run alone
(a one-shot demo loader), not next to live intake. Triage is not enqueued: reports are stored
"pending" and triage runs later in bulk.

Audit: one "report.submitted" event per report and one "case.demo_state" event per case that is not
"received", through sigap.audit.chain.append_many (one call per agency per batch).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from sigap.audit.chain import append_many
from sigap.cases import sla
from sigap.cases.actions.numbering import case_number, reserve, tracking_number
from sigap.cases.content import PURPOSE_CASE, seal_content, seal_text
from sigap.cases.models import Case, Deadline, Report
from sigap.cases.workflow import Outcome, State
from sigap.core import clock
from sigap.core.bulkdb import insert_rows
from sigap.demo.agencies import AGENCIES, SPEC_BY_SLUG, AgencySpec, ensure_demo_agencies
from sigap.demo.textgen import (
    GeneratedReport,
    ReportGenerator,
    duplicate_variants,
    pick_channel,
    template_trap,
)
from sigap.reporters.models import Reporter
from sigap.tenants.models import Instansi, Unit

YEARS = 3
DUPLICATE_START = 0.0336  # chance a draw starts a duplicate group: ~8% of reports end up in one
TEMPLATE_START = 0.002
ACTOR_LABEL = "demo-data"
AUDIT_PER_OBJECT_MAX = 50_000
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_WIB = dt.timedelta(hours=7)
_DAY = 86400.0


@dataclass
class WriteStats:
    reports: int = 0
    cases: int = 0
    merged: int = 0
    deadlines: int = 0
    audit_events: int = 0
    duplicate_groups: int = 0
    template_groups: int = 0
    seconds: float = 0.0
    audit_seconds: float = 0.0
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    states: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class Planned:
    slug: str
    received_at: dt.datetime
    report: GeneratedReport
    pseudonym: str
    group: int = -1


@dataclass(slots=True)
class Group:
    kind: str  # cross_agency, cross_channel, template_not_duplicate
    members: list[int]


# ---------------------------------------------------------------------------------------------
# Planning (pure: same seed and `now` give the same plan)
# ---------------------------------------------------------------------------------------------


class Planner:
    """Draws the reports batch by batch, in time order over the last YEARS years."""

    def __init__(
        self, *, n: int, seed: int, now: dt.datetime, specs: Sequence[AgencySpec] = AGENCIES
    ) -> None:
        self.n = n
        self.now = now
        self.gen = ReportGenerator(seed, today=now.date())
        self.rng = self.gen.rng
        self.specs = list(specs)
        self.weights = [s.weight for s in self.specs]
        self.start = now - dt.timedelta(days=365 * YEARS)
        self.span = (now - self.start).total_seconds() - 3600
        self.done = 0
        self.trap_specs = [s for s in self.specs if s.domain == "pemda"]

    def _time(self, position: float) -> dt.datetime:
        """A moment near `position` (0..1 of the window), at a plausible hour of the day (WIB)."""
        rng = self.rng
        base = self.start + dt.timedelta(seconds=position * self.span)
        local_day = (base + _WIB).date()
        hour = rng.choices(
            (7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21, 23),
            cum_weights=(2, 8, 16, 24, 31, 37, 44, 50, 54, 58, 61, 62),
        )[0]
        moment = (
            dt.datetime.combine(local_day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=dt.UTC)
            - _WIB
        )
        return min(moment, self.now - dt.timedelta(minutes=5))

    def _pseudonym(self) -> str:
        return "Pelapor-" + "".join(self.rng.choices(_PSEUDONYM_ALPHABET, k=6))

    def _later(self, t: dt.datetime, max_days: float) -> dt.datetime:
        moment = t + dt.timedelta(seconds=self.rng.uniform(3600, max_days * _DAY))
        return min(moment, self.now - dt.timedelta(minutes=1))

    def next_batch(self, size: int) -> tuple[list[Planned], list[Group]]:
        rng, gen = self.rng, self.gen
        size = min(size, self.n - self.done)
        items: list[Planned] = []
        groups: list[Group] = []
        lo = self.done / self.n
        hi = (self.done + size) / self.n
        while len(items) < size:
            left = size - len(items)
            t = self._time(rng.uniform(lo, hi))
            r = rng.random()
            spec = rng.choices(self.specs, weights=self.weights)[0]
            if r < TEMPLATE_START and left >= 3 and self.trap_specs:
                spec = rng.choice(self.trap_specs)
                k = min(left, rng.randint(3, 6))
                group = Group("template_not_duplicate", [])
                for rep in template_trap(gen, spec, t.date(), k):
                    group.members.append(len(items))
                    items.append(Planned(spec.slug, self._later(t, 30), rep, self._pseudonym(), len(groups)))
                groups.append(group)
                continue
            if r < TEMPLATE_START + DUPLICATE_START and left >= 2:
                k = min(left, rng.choices((2, 3, 4), cum_weights=(60, 90, 100))[0])
                slugs = self._group_agencies(spec, k)
                base = gen.one(spec, t.date())
                channels = [
                    pick_channel(rng, exclude=base.channel if s == spec.slug else "") for s in slugs[1:]
                ]
                variants = duplicate_variants(
                    base, rng, k - 1, agencies=[SPEC_BY_SLUG[s] for s in slugs[1:]], channels=channels
                )
                kind = "cross_agency" if len(set(slugs)) > 1 else "cross_channel"
                group = Group(kind, [len(items)])
                items.append(Planned(spec.slug, t, base, self._pseudonym(), len(groups)))
                for slug, rep in zip(slugs[1:], variants):
                    group.members.append(len(items))
                    items.append(Planned(slug, self._later(t, 20), rep, self._pseudonym(), len(groups)))
                groups.append(group)
                continue
            items.append(Planned(spec.slug, t, gen.one(spec, t.date()), self._pseudonym()))
        self.done += size
        return items, groups

    def _group_agencies(self, spec: AgencySpec, k: int) -> list[str]:
        """Where the members of a duplicate group go: (a) the agency and its parent or the hub, or
        (b) the same agency through several channels."""
        rng = self.rng
        if spec.slug == "kpk" or rng.random() < 0.45:
            return [spec.slug] * k
        partner = spec.parent_slug if spec.parent_slug and rng.random() < 0.6 else "kpk"
        slugs = [spec.slug, partner]
        pool = sorted({spec.slug, partner, "kpk"})
        while len(slugs) < k:
            slugs.append(rng.choice(pool))
        return slugs


# ---------------------------------------------------------------------------------------------
# States, timelines and deadlines
# ---------------------------------------------------------------------------------------------

S = State
_BY_AGE: tuple[tuple[float, tuple[tuple[str, int], ...]], ...] = (
    (7, ((S.RECEIVED, 60), (S.VERIFICATION, 35), (S.NEEDS_COMPLETION, 5))),
    (
        30,
        (
            (S.RECEIVED, 10),
            (S.VERIFICATION, 45),
            (S.NEEDS_COMPLETION, 12),
            (S.ANALYSIS, 15),
            (S.ARCHIVED, 12),
            (S.REFERRED, 6),
        ),
    ),
    (
        120,
        (
            (S.VERIFICATION, 8),
            (S.NEEDS_COMPLETION, 8),
            (S.ANALYSIS, 18),
            (S.CLARIFICATION, 6),
            (S.RECOMMENDATION, 10),
            (S.REFERRED, 12),
            (S.INFORMATION_GATHERING, 6),
            (S.SYSTEM_IMPROVEMENT, 3),
            (S.FOLLOW_UP, 10),
            (S.ARCHIVED, 17),
            (S.DONE, 2),
        ),
    ),
    (
        1e9,
        (
            (S.ARCHIVED, 30),
            (S.CLOSED, 25),
            (S.DONE, 10),
            (S.REFERRED, 8),
            (S.FOLLOW_UP, 7),
            (S.INFORMATION_GATHERING, 4),
            (S.SYSTEM_IMPROVEMENT, 3),
            (S.ANALYSIS, 3),
            (S.RECOMMENDATION, 2),
            (S.CLARIFICATION, 1),
            (S.NEEDS_COMPLETION, 4),
            (S.VERIFICATION, 3),
        ),
    ),
)
# States in which no officer has looked at the category yet (triage may still set it).
_UNCONFIRMED = frozenset({S.RECEIVED, S.VERIFICATION, S.NEEDS_COMPLETION, S.MERGED})
_OUTCOMES = (
    Outcome.SUBSTANTIATED,
    Outcome.PARTLY_SUBSTANTIATED,
    Outcome.NOT_SUBSTANTIATED,
    Outcome.REFERRED_ENFORCEMENT,
    Outcome.SYSTEM_IMPROVED,
)
_CORRUPTION = frozenset(
    {
        "kerugian_keuangan_negara",
        "suap",
        "penggelapan_jabatan",
        "pemerasan",
        "perbuatan_curang",
        "benturan_kepentingan_pengadaan",
        "gratifikasi",
    }
)
# States after verification (verify deadline met) and how many days after verification ends they begin.
_AFTER_VERIFY: dict[str, tuple[float, float]] = {
    S.ANALYSIS: (0, 2),
    S.CLARIFICATION: (3, 20),
    S.RECOMMENDATION: (10, 40),
    S.REFERRED: (0, 60),
    S.INFORMATION_GATHERING: (20, 60),
    S.SYSTEM_IMPROVEMENT: (20, 60),
    S.FOLLOW_UP: (40, 100),
    S.DONE: (60, 150),
    S.CLOSED: (60, 150),
    S.MERGED: (0, 1),
    S.ARCHIVED: (0, 60),
}


@dataclass(slots=True)
class Timeline:
    state: str
    status_changed_at: dt.datetime
    ack_met: dt.datetime
    verify_start: dt.datetime | None
    verify_met: dt.datetime | None
    feedback_met: dt.datetime | None


def draw_state(rng: random.Random, age_days: float) -> str:
    for limit, rows in _BY_AGE:
        if age_days < limit:
            states = [s for s, _ in rows]
            return str(rng.choices(states, weights=[w for _, w in rows])[0])
    return str(S.ARCHIVED)


def timeline(rng: random.Random, state: str, received: dt.datetime, now: dt.datetime) -> Timeline:
    """When each step happened, consistent with the state and never after `now`."""
    age = max((now - received).total_seconds() - 120, 60.0)
    ack = rng.uniform(60, 7200)
    if state == S.RECEIVED:
        return Timeline(state, received, received + dt.timedelta(seconds=min(ack, age)), None, None, None)
    intake_archive = state == S.ARCHIVED and rng.random() < 0.4
    v_start = rng.uniform(0.1, 4) * _DAY
    if intake_archive:
        offsets = [ack, v_start]  # archived at intake: no verification step
    elif state in (S.VERIFICATION, S.NEEDS_COMPLETION):
        offsets = [ack, v_start, v_start + rng.uniform(1, 20) * _DAY]
    else:
        v_end = v_start + rng.uniform(2, 40) * _DAY
        lo, hi = _AFTER_VERIFY[state]
        changed = v_end + rng.uniform(lo, hi) * _DAY
        offsets = [ack, v_start, v_end, changed]
        if state == S.CLOSED:
            offsets.append(changed + rng.uniform(1, 30) * _DAY)
    if offsets[-1] > age:
        factor = age / offsets[-1] * 0.98
        offsets = [o * factor for o in offsets]
    at = [received + dt.timedelta(seconds=o) for o in offsets]
    if intake_archive:
        return Timeline(state, at[1], at[0], None, None, None)
    if state in (S.VERIFICATION, S.NEEDS_COMPLETION):
        changed_at = at[1] if state == S.VERIFICATION and rng.random() < 0.7 else at[2]
        return Timeline(state, changed_at, at[0], at[1], None, None)
    feedback = None
    if state in (S.DONE, S.CLOSED):
        feedback = at[3]
    elif state == S.MERGED:
        feedback = at[2]
    changed_at = at[2] if state == S.MERGED else at[-1]
    return Timeline(state, changed_at, at[0], at[1], at[2] if state != S.MERGED else at[2], feedback)


# ---------------------------------------------------------------------------------------------
# Raw inserts
# ---------------------------------------------------------------------------------------------


class _Table:
    """Bulk rows for a model, with the columns in `attnames` order (all of them)."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        qn = connection.ops.quote_name
        self.columns = [qn(str(fields[a].column)) for a in attnames]
        # Fields added to the model later and unknown here get their default (a constant per row).
        self.defaults: list[Any] = []
        for name, f in fields.items():
            if name in attnames:
                continue
            if not (f.has_default() or f.null):
                raise RuntimeError(f"demo writer does not know {model.__name__}.{name}, which has no default")
            self.columns.append(qn(str(f.column)))
            self.defaults.append(f.get_db_prep_save(f.get_default() if f.has_default() else None, connection))
        self.table = qn(model._meta.db_table)
        self.model = model

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        if rows and self.defaults:
            extra = tuple(self.defaults)
            rows = [row + extra for row in rows]
        insert_rows(self.table, self.columns, rows)


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime (naive UTC, str()), without its
    per-value checks: every datetime here is already aware UTC."""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


# ---------------------------------------------------------------------------------------------
# The writer
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What preparing a batch needs, fixed before any worker is forked (no database access)."""

    ids: dict[str, int]
    units: dict[str, list[int]]
    referral_targets: dict[str, list[str]]
    now: dt.datetime
    sqlite: bool


@dataclass(slots=True)
class Prepared:
    """One batch, in time order, ready for numbers and ids: sealed, dated and adapted for the database."""

    rows: list[tuple[Any, ...]]
    groups: list[tuple[str, list[int], list[str], list[str], list[str]]]
    merged: int


def _identity(value: Any) -> Any:
    return value


def prepare_batch(planner: Planner, state_rng: random.Random, ctx: _Context, size: int) -> Prepared:
    """Plans, renders, seals and dates one batch (pure: runs in-process or in a forked worker)."""
    now = ctx.now
    adapt_dt = _sqlite_datetime if ctx.sqlite else _identity
    adapt_date = _sqlite_date if ctx.sqlite else _identity
    items, groups = planner.next_batch(size)
    order = sorted(range(len(items)), key=lambda i: items[i].received_at)
    position = {i: p for p, i in enumerate(order)}
    state_of: dict[int, str] = {}
    merge_target: dict[int, int] = {}
    for i in order:
        state_of[i] = draw_state(state_rng, (now - items[i].received_at).total_seconds() / _DAY)
    for group in groups:
        if group.kind == "template_not_duplicate":
            continue
        first_by_slug: dict[str, int] = {}
        for i in sorted(group.members, key=lambda m: items[m].received_at):
            slug = items[i].slug
            if slug not in first_by_slug:
                first_by_slug[slug] = i
                continue
            age = (now - items[i].received_at).total_seconds() / _DAY
            if age > 14 and state_rng.random() < 0.75:
                target = first_by_slug[slug]
                merge_target[i] = target
                state_of[i] = S.MERGED
                if state_of[target] in (S.RECEIVED, S.ARCHIVED, S.MERGED):
                    state_of[target] = S.VERIFICATION if age < 30 else S.ANALYSIS
    rows: list[tuple[Any, ...]] = []
    for i in order:
        item = items[i]
        rep = item.report
        slug = item.slug
        iid = ctx.ids[slug]
        received = item.received_at
        state = state_of[i]
        tl = timeline(state_rng, state, received, now)
        referred_to = unit_id = None
        if state == S.REFERRED:
            if state_rng.random() < 0.7:
                referred_to = ctx.ids[state_rng.choice(ctx.referral_targets[slug])]
            elif ctx.units[slug]:
                unit_id = state_rng.choice(ctx.units[slug])
        outcome = str(state_rng.choice(_OUTCOMES)) if state in (S.DONE, S.CLOSED) else ""
        summary = (rep.content.title.strip() or rep.content.what.strip())[:160]
        r_at = adapt_dt(received)
        deadlines = [
            ("acknowledge", r_at, adapt_dt(sla.due_at("acknowledge", received)), adapt_dt(tl.ack_met)),
            ("feedback", r_at, adapt_dt(sla.due_at("feedback", received)), adapt_dt(tl.feedback_met)),
        ]
        if tl.verify_start is not None:
            deadlines.append(
                (
                    "verify",
                    adapt_dt(tl.verify_start),
                    adapt_dt(sla.due_at("verify", tl.verify_start)),
                    adapt_dt(tl.verify_met),
                )
            )
        rows.append(
            (
                slug,
                (received + _WIB).year,
                iid,
                r_at,
                str(state),
                adapt_dt(tl.status_changed_at),
                seal_text(iid, summary, purpose=PURPOSE_CASE),
                rep.category,
                rep.sector,
                _priority(state_rng, rep),
                rep.region_code,
                rep.amount,
                outcome,
                position[merge_target[i]] if i in merge_target else -1,
                referred_to,
                unit_id,
                state not in _UNCONFIRMED,
                item.pseudonym,
                rep.anonymity,
                rep.channel,
                rep.language,
                seal_content(iid, rep.content),
                adapt_date(rep.occurred_from),
                adapt_date(rep.occurred_to),
                rep.evidence_count,
                deadlines,
                f"{received:%y%m}",
            )
        )
    out_groups = []
    for group in groups:
        members = sorted(group.members, key=lambda m: position[m])
        out_groups.append(
            (
                group.kind,
                [position[m] for m in members],
                [items[m].slug for m in members],
                [items[m].report.channel for m in members],
                [items[m].report.style for m in members],
            )
        )
    return Prepared(rows, out_groups, len(merge_target))


def _worker(queue: Any, n: int, seed: int, batch_size: int, ctx: _Context) -> None:
    # The forked child must never speak on the parent's database socket (PostgreSQL would lose
    # protocol synchronisation): forget the inherited connections; a query opens a fresh one.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    planner = Planner(n=n, seed=seed, now=ctx.now)
    state_rng = random.Random(seed * 7919 + 17)
    while planner.done < n:
        queue.put(prepare_batch(planner, state_rng, ctx, batch_size))
    queue.put(None)


def _batches(n: int, seed: int, batch_size: int, ctx: _Context, workers: int) -> Iterator[Prepared]:
    """The prepared batches, from a forked worker (overlapping with the inserts) or in-process."""
    if workers <= 0:
        planner = Planner(n=n, seed=seed, now=ctx.now)
        state_rng = random.Random(seed * 7919 + 17)
        while planner.done < n:
            yield prepare_batch(planner, state_rng, ctx, batch_size)
        return
    mp = multiprocessing.get_context("fork")
    queue = mp.Queue(maxsize=4)
    proc = mp.Process(target=_worker, args=(queue, n, seed, batch_size, ctx), daemon=True)
    proc.start()
    try:
        while True:
            batch = queue.get()
            if batch is None:
                break
            yield batch
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()


def write_demo_reports(
    *,
    n: int,
    seed: int,
    batch_size: int = 2000,
    truth_path: Path | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    now: dt.datetime | None = None,
    audit: str = "auto",
    workers: int | None = None,
) -> WriteStats:
    """Writes `n` demo reports (with their reporters, cases and deadlines) and returns figures.

    audit: "per-object" (one event per report and per case not "received"), "per-batch" (one event
    per batch and agency) or "auto" (per object up to AUDIT_PER_OBJECT_MAX reports).
    workers: 1 prepares batches in a forked process while this one inserts (default when n is
    large and there are several CPUs), 0 prepares them in-process.
    """
    started = time.perf_counter()
    now = now or clock.now()
    per_object = audit == "per-object" or (audit == "auto" and n <= AUDIT_PER_OBJECT_MAX)
    if workers is None:
        workers = 1 if n >= 20_000 and (os.cpu_count() or 1) > 1 else 0
    stats = WriteStats()
    agencies = ensure_demo_agencies()
    ids = {slug: a.pk for slug, a in agencies.items()}
    units: dict[str, list[int]] = {slug: [] for slug in ids}
    for unit_id, instansi_id in (
        Unit.objects.filter(instansi__in=list(agencies.values()))
        .order_by("pk")
        .values_list("pk", "instansi_id")
    ):
        units[next(s for s, i in ids.items() if i == instansi_id)].append(unit_id)
    for instansi in agencies.values():  # load every data key once; crypto caches them (also for the worker)
        seal_text(instansi.pk, "", purpose=PURPOSE_CASE)
    sqlite = connection.vendor == "sqlite"
    ctx = _Context(
        ids=ids,
        units=units,
        referral_targets={s: [t for t in ids if t != s] for s in ids},
        now=now,
        sqlite=sqlite,
    )
    if sqlite:
        with connection.cursor() as c:
            c.execute("PRAGMA cache_size=-262144")
    t_reporter = _Table(
        Reporter,
        (
            "id",
            "instansi_id",
            "pseudonym",
            "anonymity",
            "receipt_hash",
            "receipt_lookup",
            "identity_sealed",
            "contact_sealed",
            "created_at",
        ),
    )
    t_case = _Table(
        Case,
        (
            "id",
            "instansi_id",
            "number",
            "unit_id",
            "summary_sealed",
            "category",
            "sector",
            "priority",
            "status",
            "status_changed_at",
            "received_at",
            "region_code",
            "amount",
            "outcome",
            "merged_into_id",
            "referred_to_id",
            "retaliation_reported",
            "created_at",
            "updated_at",
            "category_confirmed",
        ),
    )
    t_report = _Table(
        Report,
        (
            "id",
            "instansi_id",
            "case_id",
            "reporter_id",
            "tracking_number",
            "channel",
            "received_at",
            "language",
            "anonymity",
            "content_sealed",
            "region_code",
            "occurred_from",
            "occurred_to",
            "amount",
            "evidence_count",
            "external_ref",
            "triage_status",
            "created_at",
        ),
    )
    t_deadline = _Table(Deadline, ("id", "instansi_id", "case_id", "kind", "started_at", "due_at", "met_at"))
    next_reporter, next_case = _next_id(Reporter), _next_id(Case)
    next_report, next_deadline = _next_id(Report), _next_id(Deadline)
    truth = truth_path.open("w", encoding="utf-8") if truth_path else None
    states: dict[str, int] = defaultdict(int)
    wait = time.perf_counter()
    try:
        for batch in _batches(n, seed, batch_size, ctx, workers):
            stats.generate_seconds += time.perf_counter() - wait
            with transaction.atomic():
                counts: dict[tuple[str, int], int] = defaultdict(int)
                for row in batch.rows:
                    counts[(row[0], row[1])] += 1
                seq: dict[tuple[str, str, int], int] = {}
                for (slug, year), count in counts.items():
                    for kind in ("case", "report"):
                        seq[(slug, kind, year)] = reserve(agencies[slug], kind, year, count)
                first_case = next_case
                reporters: list[tuple[Any, ...]] = []
                cases: list[tuple[Any, ...]] = []
                reports: list[tuple[Any, ...]] = []
                deadlines: list[tuple[Any, ...]] = []
                audit_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
                for pos, row in enumerate(batch.rows):
                    (
                        slug,
                        year,
                        iid,
                        r_at,
                        state,
                        changed_at,
                        summary_sealed,
                        category,
                        sector,
                        priority,
                        region_code,
                        amount,
                        outcome,
                        merge_pos,
                        referred_to,
                        unit_id,
                        confirmed,
                        pseudonym,
                        anonymity,
                        channel,
                        language,
                        content_sealed,
                        occurred_from,
                        occurred_to,
                        evidence_count,
                        row_deadlines,
                        month,
                    ) = row
                    instansi = agencies[slug]
                    case_seq, report_seq = seq[(slug, "case", year)], seq[(slug, "report", year)]
                    seq[(slug, "case", year)] = case_seq + 1
                    seq[(slug, "report", year)] = report_seq + 1
                    case_id = first_case + pos
                    merged_into = first_case + merge_pos if merge_pos >= 0 else None
                    report_id, reporter_id = next_report + pos, next_reporter + pos
                    states[state] += 1
                    cases.append(
                        (
                            case_id,
                            iid,
                            case_number(instansi, year, case_seq),
                            unit_id,
                            summary_sealed,
                            category,
                            sector,
                            priority,
                            state,
                            changed_at,
                            r_at,
                            region_code,
                            amount,
                            outcome,
                            merged_into,
                            referred_to,
                            False,
                            r_at,
                            changed_at,
                            confirmed,
                        )
                    )
                    reporters.append((reporter_id, iid, pseudonym, anonymity, "", "", None, None, r_at))
                    reports.append(
                        (
                            report_id,
                            iid,
                            merged_into or case_id,
                            reporter_id,
                            tracking_number(instansi, year, report_seq),
                            channel,
                            r_at,
                            language,
                            anonymity,
                            content_sealed,
                            region_code,
                            occurred_from,
                            occurred_to,
                            amount,
                            evidence_count,
                            f"LAPOR-{year}-{report_seq:06d}" if channel == "lapor" else "",
                            "pending",
                            r_at,
                        )
                    )
                    for kind, d_start, d_due, d_met in row_deadlines:
                        deadlines.append((next_deadline, iid, case_id, kind, d_start, d_due, d_met))
                        next_deadline += 1
                    rows = audit_rows[slug]
                    if per_object:
                        rows.append(
                            {
                                "action": "report.submitted",
                                "object_type": "cases.report",
                                "object_id": report_id,
                                "actor_label": ACTOR_LABEL,
                                "data": {
                                    "case": merged_into or case_id,
                                    "channel": channel,
                                    "anonymity": anonymity,
                                },
                            }
                        )
                        if state != S.RECEIVED:
                            rows.append(
                                {
                                    "action": "case.demo_state",
                                    "object_type": "cases.case",
                                    "object_id": case_id,
                                    "actor_label": ACTOR_LABEL,
                                    "data": {"to": state},
                                }
                            )
                    else:
                        rows.append({"report": report_id, "state": state})
                size = len(batch.rows)
                next_case += size
                next_report += size
                next_reporter += size
                i0 = time.perf_counter()
                t_reporter.insert(reporters)
                t_case.insert(cases)
                t_report.insert(reports)
                t_deadline.insert(deadlines)
                stats.insert_seconds += time.perf_counter() - i0
                a0 = time.perf_counter()
                for slug, rows in audit_rows.items():
                    stats.audit_events += append_many(
                        rows if per_object else [_batch_event(rows)], instansi_id=ids[slug]
                    )
                stats.audit_seconds += time.perf_counter() - a0
            stats.reports += size
            stats.cases += size
            stats.merged += batch.merged
            stats.deadlines += len(deadlines)
            stats.duplicate_groups += sum(1 for g in batch.groups if g[0] != "template_not_duplicate")
            stats.template_groups += sum(1 for g in batch.groups if g[0] == "template_not_duplicate")
            if truth is not None:
                first_report = next_report - size
                for kind, members, slugs, channels, styles in batch.groups:
                    truth.write(
                        json.dumps(
                            {
                                "kind": kind,
                                "report_ids": [first_report + m for m in members],
                                "instansi": slugs,
                                "channels": channels,
                                "styles": styles,
                            }
                        )
                        + "\n"
                    )
            if progress is not None:
                progress(stats.reports, n, time.perf_counter() - started)
            wait = time.perf_counter()
    finally:
        if truth is not None:
            truth.close()
        _reset_sequences([Reporter, Case, Report, Deadline])
    stats.states = dict(states)
    stats.seconds = time.perf_counter() - started
    return stats


def _priority(rng: random.Random, rep: GeneratedReport) -> int:
    if rep.category == "permintaan_informasi":
        return 1
    if rep.category in _CORRUPTION:
        if rep.amount and rep.amount >= 1_000_000_000 and rng.random() < 0.6:
            return 4
        return 3 if rng.random() < 0.7 else 2
    return 2 if rng.random() < 0.85 else rng.choice((1, 3))


def _batch_event(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One audit event for a whole batch of one agency (the cheaper audit mode)."""
    report_ids = [r["report"] for r in rows]
    by_state: dict[str, int] = defaultdict(int)
    for r in rows:
        by_state[r["state"]] += 1
    return {
        "action": "report.demo_batch",
        "object_type": "cases.report",
        "actor_label": ACTOR_LABEL,
        "object_id": f"{min(report_ids)}-{max(report_ids)}",
        "data": {
            "reports": len(report_ids),
            "first": min(report_ids),
            "last": max(report_ids),
            "states": dict(by_state),
        },
    }


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Explicit ids leave PostgreSQL sequences behind; SQLite follows MAX(id) by itself."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def agencies_by_slug() -> dict[str, Instansi]:
    return {i.slug: i for i in Instansi.objects.filter(slug__in=list(SPEC_BY_SLUG))}
