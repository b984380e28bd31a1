"""One agency never sees another's cases: the same 404 for missing and forbidden, everywhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sigap.cases.access import access_case, access_report
from sigap.cases.actions.assign import assign_case
from sigap.cases.actions.transitions import do_transition
from sigap.cases.selectors import cases_in_instansi
from sigap.core.errors import NotFound, ValidationFailed
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def without_per_response_values(page: bytes, path: str) -> bytes:
    """The page less what every response varies anyway: the CSRF token (masked anew each time), the
    script nonce, and the address asked for (the language switch returns to it)."""
    text = page.decode().replace(path, "PATH")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text).encode()


@pytest.fixture
def case_a(agency_a, submit):  # type: ignore[no-untyped-def]
    return submit(system_actor(agency_a)).case


def test_access_case_of_other_agency_is_not_found(case_a, agency_b, actor_of) -> None:
    outsider = actor_of(agency_b, Role.SUPERVISOR)
    with pytest.raises(NotFound):
        access_case(outsider, case_a.pk)
    with pytest.raises(NotFound):
        access_report(outsider, case_a.reports.get().pk)
    with pytest.raises(NotFound):
        access_case(outsider, 999_999)


def test_missing_and_forbidden_look_the_same_over_http(case_a, agency_b) -> None:
    user = make_user(agency_b, Role.SUPERVISOR)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    forbidden = client.get(f"/kasus/{case_a.pk}/")
    missing = client.get("/kasus/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert without_per_response_values(forbidden.content, f"/kasus/{case_a.pk}/") == (
        without_per_response_values(missing.content, "/kasus/999999/")
    )
    step = client.post(f"/kasus/{case_a.pk}/step/start_verification/")
    assert step.status_code == 404
    case_a.refresh_from_db()
    assert case_a.status == "received"


def test_lists_show_only_own_cases(case_a, agency_a, agency_b, submit, actor_of) -> None:
    case_b = submit(system_actor(agency_b)).case
    a = actor_of(agency_a, Role.VERIFIKATOR)
    b = actor_of(agency_b, Role.VERIFIKATOR)
    assert list(cases_in_instansi(actor=a)) == [case_a]
    assert list(cases_in_instansi(actor=b)) == [case_b]
    client = Client()
    user = make_user(agency_b, Role.VERIFIKATOR)
    client.login(username=user.username, password=PASSWORD)
    page = client.get("/kasus/?status=all").content.decode()
    assert case_b.number in page and case_a.number not in page


def test_transitions_on_other_agency_case_are_not_found(case_a, agency_b, actor_of) -> None:
    with pytest.raises(NotFound):
        do_transition(actor=actor_of(agency_b, Role.SUPERVISOR), case_id=case_a.pk, name="start_verification")


def test_a_role_in_one_agency_gives_nothing_in_another(case_a, agency_a, agency_b) -> None:
    user = make_user(agency_b, Role.SUPERVISOR)
    with pytest.raises(NotFound):
        actor_for(user, agency_a)


def test_hub_monitor_cannot_read_agency_cases(case_a, hub, actor_of) -> None:
    monitor = actor_of(hub, Role.HUB_MONITOR)
    with pytest.raises(NotFound):
        access_case(monitor, case_a.pk)


def test_cannot_assign_an_officer_of_another_agency(case_a, agency_a, agency_b, actor_of) -> None:
    boss = actor_of(agency_a, Role.SUPERVISOR)
    stranger = make_user(agency_b, Role.PENELAAH)
    with pytest.raises(ValidationFailed):
        assign_case(actor=boss, case_id=case_a.pk, user_id=stranger.pk)
    colleague = make_user(agency_a, Role.PENELAAH)
    assign_case(actor=boss, case_id=case_a.pk, user_id=colleague.pk)
    assert list(case_a.assignees.all()) == [colleague]


def test_analyst_role_has_no_case_queue(case_a, agency_a) -> None:
    user = make_user(agency_a, Role.ANALYST)
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    assert client.get(f"/kasus/{case_a.pk}/").status_code == 404
    page = client.get("/kasus/")
    assert page.status_code == 200 and case_a.number not in page.content.decode()


def test_views_and_tasks_never_query_models_directly() -> None:
    """ARCHITECTURE rule 1: views, API and tasks go through access_* and selectors."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "sigap"
    offenders = []
    for path in (
        list(root.rglob("views/*.py"))
        + list(root.rglob("views.py"))
        + list(root.rglob("tasks.py"))
        + list(root.rglob("api/*.py"))
        + list(root.rglob("context_processors.py"))
    ):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(Case|Report|CaseNote|Deadline|Reporter|Referral|Evidence|Message)\.objects\b", line):
                offenders.append(f"{path.relative_to(root)}:{lineno}")
    assert offenders == []
