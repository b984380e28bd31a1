"""Referral pages: the receiving agency's inbox and answer, the referring agency's case page, the hub
monitor's overview; each one scoped to whom it is for."""

from __future__ import annotations

import pytest
from django.test import Client

from sigap.cases.models import Case
from sigap.coordination.models import Referral, ReferralStatus
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user
from tests.coordination.conftest import REASON

pytestmark = pytest.mark.django_db


def _client(instansi, *roles: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=make_user(instansi, *roles).username, password=PASSWORD)
    return client


def test_the_receiving_agency_reads_and_accepts_a_referral(referral, agency_b) -> None:
    officer = _client(agency_b, Role.VERIFIKATOR)
    inbox = officer.get("/pelimpahan/").content.decode()
    assert referral.from_case_number in inbox
    assert 'Pelimpahan masuk <span class="badge">1</span>' in inbox  # the navigation counts what waits
    page = officer.get(f"/pelimpahan/{referral.pk}/").content.decode()
    assert REASON in page and "Petugas kelurahan meminta uang" in page
    assert "Terima" in page and "Tolak" in page
    answer = officer.post(f"/pelimpahan/{referral.pk}/terima/", follow=True)
    case_b = Case.objects.get(instansi=agency_b)
    assert answer.redirect_chain[-1][0] == f"/kasus/{case_b.pk}/"
    assert (
        case_b.number in answer.content.decode()
        and "Petugas kelurahan meminta uang" in answer.content.decode()
    )
    assert "Dibuka dari pelimpahan instansi lain" in answer.content.decode()  # the new case's history says so
    assert f'href="/pelimpahan/{referral.pk}/"' in answer.content.decode()  # and where it came from
    assert referral.from_case_number in answer.content.decode()


def test_the_referring_agency_follows_the_referral_from_its_case(
    referral, agency_a, agency_b, actor_of
) -> None:
    from sigap.coordination.actions import accept_referral

    officer_a = _client(agency_a, Role.SUPERVISOR)
    waiting = officer_a.get(f"/kasus/{referral.from_case_id}/").content.decode()
    assert "Pelimpahan ke instansi lain" in waiting and "Menunggu jawaban" in waiting
    case_b = accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    accepted = officer_a.get(f"/kasus/{referral.from_case_id}/").content.decode()
    assert f"Kasus mereka {case_b.number}: Diterima" in accepted  # its state there, next to its number


def test_declining_without_a_reason_keeps_the_referral_and_says_why(referral, agency_b) -> None:
    officer = _client(agency_b, Role.VERIFIKATOR)
    refused = officer.post(f"/pelimpahan/{referral.pk}/tolak/", {"reason": ""})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    done = officer.post(f"/pelimpahan/{referral.pk}/tolak/", {"reason": "Bukan pegawai kami."}, follow=True)
    assert done.redirect_chain[-1][0] == "/pelimpahan/"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED
    after = officer.get(f"/pelimpahan/{referral.pk}/").content.decode()  # the contents went back
    assert REASON not in after and "Petugas kelurahan" not in after and "/terima/" not in after


def test_no_other_agency_and_no_role_without_verification_answers(referral, agency_a, agency_b, hub) -> None:
    for client in (_client(hub, Role.SUPERVISOR), _client(agency_a, Role.SUPERVISOR)):
        assert client.get(f"/pelimpahan/{referral.pk}/").status_code == 404
        assert client.post(f"/pelimpahan/{referral.pk}/terima/").status_code == 404
        assert client.post(f"/pelimpahan/{referral.pk}/tolak/", {"reason": "x"}).status_code == 404
    penelaah = _client(agency_b, Role.PENELAAH)
    page = penelaah.get(f"/pelimpahan/{referral.pk}/").content.decode()
    assert REASON in page and "/terima/" not in page  # reads it, no answer offered
    assert penelaah.post(f"/pelimpahan/{referral.pk}/terima/").status_code == 404
    custodian = _client(agency_b, Role.CUSTODIAN)
    assert REASON not in custodian.get(f"/pelimpahan/{referral.pk}/").content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert Client().get("/pelimpahan/").status_code == 302  # to the login page


def test_the_hub_monitor_sees_dates_and_answers_not_contents(referral, agency_a, agency_b, hub) -> None:
    monitor = _client(hub, Role.HUB_MONITOR)
    page = monitor.get("/pelimpahan/pantau/").content.decode()
    assert referral.from_case_number in page and agency_a.name in page
    assert REASON not in page and "Petugas kelurahan" not in page
    assert _client(agency_a, Role.SUPERVISOR).get("/pelimpahan/pantau/").status_code == 404
    # a monitor role given inside an agency is no hub monitor
    assert _client(agency_a, Role.HUB_MONITOR).get("/pelimpahan/pantau/").status_code == 404
    agency_b.connected_to_hub = False  # an agency not connected keeps even its referrals' dates
    agency_b.save()
    assert referral.from_case_number not in monitor.get("/pelimpahan/pantau/").content.decode()


def test_the_pages_speak_english_on_request(referral, agency_b) -> None:
    officer = _client(agency_b, Role.VERIFIKATOR)
    officer.cookies["django_language"] = "en"
    page = officer.get(f"/pelimpahan/{referral.pk}/", headers={"accept-language": "en"}).content.decode()
    assert "Why it was referred to you" in page and "Accept: open it as a case here" in page


def test_the_case_page_offers_no_second_referral_while_one_waits(
    referral, agency_a, agency_b, actor_of
) -> None:
    from sigap.coordination.actions import decline_referral

    officer_a = _client(agency_a, Role.SUPERVISOR)
    waiting = officer_a.get(f"/kasus/{referral.from_case_id}/").content.decode()
    # while it waits, neither another referral nor a follow-up of its own is offered
    assert "/step/refer_external/" not in waiting and "/step/record_follow_up/" not in waiting
    decline_referral(
        actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk, reason="Bukan kami."
    )
    declined = officer_a.get(f"/kasus/{referral.from_case_id}/").content.decode()
    assert "/step/refer_external/" in declined and "/step/record_follow_up/" in declined
    assert "Bukan kami." in declined


def test_withdrawing_from_the_case_page(referral, agency_a, agency_b) -> None:
    officer_a = _client(agency_a, Role.VERIFIKATOR)
    url = f"/kasus/{referral.from_case_id}/pelimpahan/{referral.pk}/tarik/"
    assert url in officer_a.get(f"/kasus/{referral.from_case_id}/").content.decode()
    assert _client(agency_b, Role.SUPERVISOR).post(url).status_code == 404  # another agency's case
    done = officer_a.post(url, follow=True)
    assert done.redirect_chain[-1][0] == f"/kasus/{referral.from_case_id}/"
    assert "Ditarik" in done.content.decode() and url not in done.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.WITHDRAWN
    receiving = _client(agency_b, Role.VERIFIKATOR).get(f"/pelimpahan/{referral.pk}/").content.decode()
    assert REASON not in receiving and "/terima/" not in receiving


def test_questions_on_a_case_opened_from_a_referral_warn_that_no_mailbox_reaches_its_reporters(
    referral, agency_b, actor_of
) -> None:
    from sigap.cases.actions.transitions import do_transition
    from sigap.coordination.actions import accept_referral
    from sigap.reporters.models import Message

    case_b = accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    do_transition(actor=actor_of(agency_b, Role.VERIFIKATOR), case_id=case_b.pk, name="start_verification")
    officer = _client(agency_b, Role.VERIFIKATOR)
    asked = officer.post(
        f"/kasus/{case_b.pk}/step/request_completion/",
        {"questions": "Kapan tepatnya uang itu diminta?"},
        follow=True,
    )
    page = asked.content.decode()
    assert asked.status_code == 200 and 'class="warning"' in page
    assert not Message.objects.filter(report__case=case_b).exists()  # nobody to write to here


def test_withdrawing_without_the_right_says_so_instead_of_failing(referral, agency_a) -> None:
    officer = _client(agency_a, Role.PENELAAH)
    response = officer.post(
        f"/kasus/{referral.from_case_id}/pelimpahan/{referral.pk}/tarik/", follow=True
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
