"""The hub monitor's overview of connected agencies: open cases, missed deadlines, unanswered
referrals; counts and dates only, for the hub's monitor only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sigap.cases.models import Deadline, DeadlineKind
from sigap.coordination.models import Referral
from sigap.coordination.selectors import agency_overview
from sigap.core import clock
from sigap.core.errors import NotFound
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_overview_counts_what_each_agency_let_pass(
    referral, agency_a, agency_b, hub, submit, actor_of
) -> None:
    late = submit(system_actor(agency_b)).case
    past = clock.now() - dt.timedelta(days=3)
    Deadline.objects.filter(case=late, kind=DeadlineKind.FEEDBACK).update(due_at=past)
    Referral.objects.filter(pk=referral.pk).update(answer_due_at=past)  # agency B has not answered in time
    rows = {r.instansi.pk: r for r in agency_overview(actor=actor_of(hub, Role.HUB_MONITOR))}
    b = rows[agency_b.pk]
    assert b.open_cases == 1 and b.received_30_days == 1
    assert b.overdue == {DeadlineKind.FEEDBACK: 1} and b.oldest_overdue == past
    assert (b.referrals_waiting, b.referrals_late) == (1, 1)
    a = rows[agency_a.pk]  # its case is referred: still open, nothing overdue
    assert a.open_cases == 1 and a.overdue_total == 0 and a.referrals_waiting == 0
    assert list(rows)[0] == agency_b.pk  # the agency with the most to answer for comes first


def test_an_agency_not_connected_to_the_hub_is_not_shown(agency_a, agency_b, hub, actor_of) -> None:
    agency_b.connected_to_hub = False
    agency_b.save()
    shown = {r.instansi.pk for r in agency_overview(actor=actor_of(hub, Role.HUB_MONITOR))}
    assert agency_a.pk in shown and agency_b.pk not in shown


def test_only_the_hub_monitor_opens_the_overview(referral, agency_a, hub, actor_of) -> None:
    with pytest.raises(NotFound):
        agency_overview(actor=actor_of(agency_a, Role.SUPERVISOR))
    monitor = Client()
    assert monitor.login(username=make_user(hub, Role.HUB_MONITOR).username, password=PASSWORD)
    page = monitor.get("/pantau/").content.decode()
    assert agency_a.name in page
    assert 'href="/pantau/"' in page  # the navigation offers it
    supervisor = Client()
    assert supervisor.login(username=make_user(agency_a, Role.SUPERVISOR).username, password=PASSWORD)
    assert supervisor.get("/pantau/").status_code == 404
    assert 'href="/pantau/"' not in supervisor.get("/kasus/").content.decode()
