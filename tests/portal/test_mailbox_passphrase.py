"""The reporter sets, changes or removes the mailbox passphrase: the receipt and the current
passphrase are asked again, nothing typed is sent back, and every other open session ends (such as
one opened by an officer who handed the receipt over)."""

from __future__ import annotations

import pytest
from django.test import Client

from sigap.audit.models import AuditEvent
from sigap.reporters.models import Reporter
from tests.portal.helpers import login, submit_and_get_receipt

URL = "/kotak-surat/kata-sandi/"
NEW = "kebun kopi di lereng"


@pytest.fixture
def receipt(agency_a) -> str:  # type: ignore[no-untyped-def]
    return submit_and_get_receipt(Client(), "/prov-a/lapor/")


def opened(receipt: str, passphrase: str = "") -> Client:
    client = Client()
    assert login(client, receipt, passphrase).status_code == 302
    return client


def in_mailbox(client: Client) -> bool:
    return 'id="status-title"' in client.get("/kotak-surat/").content.decode()


def test_a_passphrase_set_closes_the_other_sessions_and_is_needed_from_then_on(receipt) -> None:
    reporter, other = opened(receipt), opened(receipt)  # "other": the officer who read the receipt out
    response = reporter.post(URL, {"receipt": receipt, "current": "", "new": NEW, "new_again": NEW})
    assert response.status_code == 302 and "sandi=1" in response["Location"]
    assert in_mailbox(reporter) and not in_mailbox(other)
    assert login(Client(), receipt).status_code == 400
    assert in_mailbox(opened(receipt, NEW))
    event = AuditEvent.objects.get(action="mailbox.passphrase_set")
    assert NEW not in repr(event.data) and receipt not in repr(event.data)


def test_removing_it_opens_the_mailbox_with_the_receipt_alone_again(receipt) -> None:
    client = opened(receipt)
    assert client.post(URL, {"receipt": receipt, "new": NEW, "new_again": NEW}).status_code == 302
    removed = client.post(URL, {"receipt": receipt, "current": NEW, "new": "", "new_again": ""})
    assert removed.status_code == 302 and in_mailbox(opened(receipt))
    assert AuditEvent.objects.filter(action="mailbox.passphrase_removed").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"receipt": "1111222233334444"}, "receipt"),  # not this mailbox's receipt
        ({"current": "tebakan salah sekali"}, "receipt"),  # no passphrase was set: the pair is wrong
        ({"new": "pendek", "new_again": "pendek"}, "new"),
        ({"new_again": "kebun teh di lereng"}, "new_again"),
    ],
)
def test_a_refused_change_changes_nothing_and_echoes_no_secret(receipt, change, field) -> None:
    client = opened(receipt)
    before = Reporter.objects.get().receipt_hash
    data = {"receipt": receipt, "current": "", "new": NEW, "new_again": NEW, **change}
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400 and f'id="id_{field}_error"' in html
    assert receipt not in html and NEW not in html
    assert Reporter.objects.get().receipt_hash == before and in_mailbox(client)
    assert not AuditEvent.objects.filter(action__startswith="mailbox.passphrase").exists()


def test_without_an_open_mailbox_nothing_changes(receipt) -> None:
    before = Reporter.objects.get().receipt_hash
    response = Client().post(URL, {"receipt": receipt, "new": NEW, "new_again": NEW})
    assert response.status_code == 403
    assert Reporter.objects.get().receipt_hash == before


def test_spaces_alone_are_no_passphrase_and_remove_nothing(receipt) -> None:
    client = opened(receipt)
    assert client.post(URL, {"receipt": receipt, "new": NEW, "new_again": NEW}).status_code == 302
    spaces = " " * 10
    response = client.post(URL, {"receipt": receipt, "current": NEW, "new": spaces, "new_again": spaces})
    assert response.status_code == 400 and 'id="id_new_error"' in response.content.decode()
    assert login(Client(), receipt).status_code == 400  # still locked with the passphrase
    assert not AuditEvent.objects.filter(action="mailbox.passphrase_removed").exists()


def test_tries_are_limited(receipt, settings) -> None:
    settings.SIGAP_PASSPHRASE_CHANGES_PER_HOUR = 2
    client = opened(receipt)
    wrong = {"receipt": "1111222233334444", "new": NEW, "new_again": NEW}
    assert [client.post(URL, wrong).status_code for _ in range(3)] == [400, 400, 429]
    right = {"receipt": receipt, "new": NEW, "new_again": NEW}
    assert client.post(URL, right).status_code == 429  # within the hour, even with the right receipt
    assert login(Client(), receipt).status_code == 302
