"""The demo data: agencies, users, the report generator and the bulk writer."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sigap.audit.chain import verify
from sigap.audit.models import AuditEvent
from sigap.cases.content import open_content
from sigap.cases.models import Case, Channel, Counter, Deadline, Report
from sigap.cases.workflow import State
from sigap.core import crypto
from sigap.demo.agencies import AGENCIES, ensure_demo_agencies, ensure_demo_users
from sigap.demo.textgen import ReportGenerator, duplicate_variants, terbilang
from sigap.demo.writer import Planner, write_demo_reports
from sigap.regions.models import Region
from sigap.tenants.models import Instansi, Membership, Unit

NOW = dt.datetime(2026, 5, 4, 3, 0, tzinfo=dt.UTC)
INDONESIAN = re.compile(
    r"\b(yang|yg|dan|di|dengan|dgn|untuk|utk|pelapor|sudah|sdh|tidak|tdk|min|kami|saya|sy)\b"
)


@pytest.fixture(autouse=True)
def _fresh_keys():
    crypto.reset_caches()
    yield
    crypto.reset_caches()


@pytest.mark.django_db
def test_agencies_idempotent_and_regions_real():
    first = ensure_demo_agencies()
    units = Unit.objects.count()
    second = ensure_demo_agencies()
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in second.items()}
    assert Instansi.objects.count() == len(AGENCIES) and Unit.objects.count() == units >= 2 * len(AGENCIES)
    assert first["kpk"].kind == "hub" and first["bandar-lampung"].parent == first["lampung"]
    codes = [a.region_code for a in first.values() if a.region_code]
    assert set(codes) == set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    assert len({a.code for a in first.values()}) == len(first)


@pytest.mark.django_db
def test_users_one_per_role():
    logins = ensure_demo_users("demo-password-1")
    again = ensure_demo_users("demo-password-1")
    assert [x.username for x in logins] == [x.username for x in again]
    names = {x.username for x in logins}
    assert {
        "admin",
        "lampung.verifikator",
        "bandar-lampung.custodian",
        "kpk.monitor",
        "kpk.supervisor",
    } <= names
    assert Membership.objects.filter(instansi__slug="lampung").count() == 6
    assert Membership.objects.get(user__username="kpk.monitor").role == "hub_monitor"


def test_generator_is_deterministic_and_indonesian():
    a, b = Planner(n=200, seed=9, now=NOW), Planner(n=200, seed=9, now=NOW)
    items_a, groups_a = a.next_batch(200)
    items_b, groups_b = b.next_batch(200)
    assert [i.report.content for i in items_a] == [i.report.content for i in items_b]
    assert [g.members for g in groups_a] == [g.members for g in groups_b]
    texts = [i.report.content.what for i in items_a]
    assert len(set(texts)) == len(texts)
    assert all(INDONESIAN.search(t.lower()) for t in texts)
    assert 250 <= sum(map(len, texts)) / len(texts) <= 1300
    assert terbilang(1_200_000_000) == "satu miliar dua ratus juta"


def test_duplicate_variants_keep_the_facts():
    gen = ReportGenerator(4, today=NOW.date())
    base = gen.one(AGENCIES[6], dt.date(2025, 3, 1))
    for v in duplicate_variants(base, gen.rng, 3):
        assert v.matter is base.matter and v.amount == base.amount and v.region_code == base.region_code
        assert v.content.what != base.content.what


@pytest.mark.django_db
def test_write_300_reports(tmp_path: Path):
    truth = tmp_path / "truth.jsonl"
    stats = write_demo_reports(n=300, seed=1, truth_path=truth, now=NOW, workers=0)
    assert stats.reports == Report.objects.count() == 300
    assert Case.objects.count() == 300
    # every channel but "referral", which only a referral accepted by another agency makes
    assert set(Report.objects.values_list("channel", flat=True)) == set(Channel.values) - {Channel.REFERRAL}
    assert not Report.objects.exclude(triage_status="pending").exists()
    assert Deadline.objects.filter(kind="acknowledge", met_at__isnull=False).count() == 300
    # Numbers are gap-free per agency and year, and the counters know them.
    for counter in Counter.objects.filter(kind="report"):
        assert (
            Report.objects.filter(
                instansi=counter.instansi,
                tracking_number__startswith=f"{counter.instansi.code}-{counter.year}-",
            ).count()
            == counter.value
        )
    # Contents open, are Indonesian, and are not stored in plain text.
    for report in Report.objects.order_by("pk")[:60]:
        content = open_content(report.instansi_id, report.content_sealed)
        assert content.what and INDONESIAN.search(content.what.lower())
        assert content.title.encode() not in bytes(report.content_sealed)
        assert content.what[:40].encode() not in bytes(report.content_sealed)
    # Ground truth: groups of existing reports.
    groups = [json.loads(line) for line in truth.read_text().splitlines()]
    assert groups
    for group in groups:
        assert group["kind"] in {"cross_agency", "cross_channel", "template_not_duplicate"}
        assert len(group["report_ids"]) >= 2
        assert Report.objects.filter(pk__in=group["report_ids"]).count() == len(group["report_ids"])
    # The audit trail holds one event per report and stays verifiable.
    assert AuditEvent.objects.filter(action="report.submitted").count() == 300
    assert verify() == []


@pytest.mark.django_db
def test_every_state_appears_and_merges_are_consistent():
    write_demo_reports(n=600, seed=3, now=NOW, workers=0)
    assert set(Case.objects.values_list("status", flat=True)) == set(State.values)
    for case in Case.objects.filter(status=State.MERGED):
        assert case.merged_into is not None and case.merged_into.instansi_id == case.instansi_id
        assert not case.reports.exists()
        assert case.merged_into.status != State.MERGED
    assert Case.objects.filter(status=State.REFERRED, referred_to__isnull=False).exists()
    open_verify = Deadline.objects.filter(kind="verify", met_at__isnull=True)
    assert set(open_verify.values_list("case__status", flat=True)) <= {
        State.VERIFICATION,
        State.NEEDS_COMPLETION,
    }
    assert Deadline.objects.filter(met_at__isnull=True, due_at__lt=NOW).exists()  # some are overdue
    assert verify() == []


@pytest.mark.django_db
def test_same_seed_same_texts():
    write_demo_reports(n=80, seed=11, now=NOW, workers=0)
    stored = [
        open_content(r.instansi_id, r.content_sealed) for r in Report.objects.order_by("received_at", "pk")
    ]
    planner = Planner(n=80, seed=11, now=NOW)
    items, _ = planner.next_batch(80)
    planned = [i.report.content for i in sorted(items, key=lambda i: i.received_at)]
    assert stored == planned


@pytest.mark.django_db
def test_the_demo_hands_recent_referrals_over_through_the_real_actions():
    from sigap.coordination.models import Referral, ReferralStatus
    from sigap.demo.referrals import hand_over_demo_referrals

    write_demo_reports(n=600, seed=3, now=NOW, workers=0)
    referred = Case.objects.filter(status="referred", referred_to__isnull=False)
    since = NOW - dt.timedelta(days=30)
    recent = referred.filter(status_changed_at__gte=since)
    targets = set(referred.values_list("referred_to_id", flat=True))
    served_recently = set(recent.values_list("referred_to_id", flat=True))
    assert recent.exists() and targets - served_recently  # both kinds of agency in this demo
    handed = hand_over_demo_referrals(now=NOW)
    assert handed == Referral.objects.count() > recent.count()
    assert hand_over_demo_referrals(now=NOW) == 0  # run again: nothing new
    # every recent one is handed over; every agency referred cases has some in its inbox, older
    # ones (at most AT_LEAST) only where the window had none
    assert set(Referral.objects.values_list("instansi_id", flat=True)) == targets
    older = Referral.objects.filter(sent_at__lt=since)
    assert set(older.values_list("instansi_id", flat=True)) == targets - served_recently
    for target in targets - served_recently:
        assert 1 <= older.filter(instansi_id=target).count() <= 2
    for referral in Referral.objects.select_related("from_case"):
        declined = referral.status == ReferralStatus.DECLINED  # the case came back: referred to nobody
        assert referral.from_case.referred_to_id == (None if declined else referral.instansi_id)
        assert referral.sent_at == referral.from_case.status_changed_at
    accepted = Referral.objects.filter(status=ReferralStatus.ACCEPTED)
    assert all(r.accepted_case.instansi_id == r.instansi_id for r in accepted)
    assert Referral.objects.filter(status=ReferralStatus.SENT).exists()
