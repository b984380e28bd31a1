"""A reporter in a real browser: report with a photo, keep the receipt, come back, answer a question."""

from __future__ import annotations

import re
import time

import pytest

from sigap.cases.models import Report
from sigap.evidence.storage import evidence_of_report, iter_plaintext
from sigap.reporters import receipts
from sigap.reporters.mailbox import officer_write
from sigap.reporters.models import Message, MessageKind
from tests.portal.images import exif_of, jpeg_with_gps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast(cheap_portal):  # type: ignore[no-untyped-def]
    cheap_portal.SIGAP_POW_BITS = 12  # the browser solves it for real
    cheap_portal.SIGAP_POW_WAIT_SECONDS = 1


def _report(page, base: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    photo = tmp_path / "kuitansi.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.goto(f"{base}/prov-a/lapor/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("#id_what", "Petugas loket meminta uang Rp 150.000 untuk mempercepat KTP.")
    page.fill("#id_who_0_name", "Budi")
    page.fill("#id_where", "Kantor Kelurahan Sukamaju")
    page.fill("#id_how_much", "Rp 150.000")
    page.set_input_files("#id_evidence", str(photo))
    assert page.is_checked("#anonymity-anonymous")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/lapor/tanda-terima/$"))
    digits = re.sub(r"\D", "", page.inner_text(".receipt"))
    assert len(digits) == 16
    return digits


def test_report_without_javascript_then_answer_a_question(
    live_server, nojs_page, agency_a, boss_a, tmp_path
) -> None:
    page = nojs_page
    receipt = _report(page, live_server.url, tmp_path)

    report = Report.objects.get()
    [evidence] = evidence_of_report(report=report)
    stored = exif_of(b"".join(iter_plaintext(evidence)))
    assert "gps" not in stored and 0x010F not in stored and 0x0110 not in stored

    page.reload()  # the receipt is shown once
    assert receipt not in re.sub(r"\D", "", page.content())

    officer_write(
        actor=boss_a, case_id=report.case_id, report_id=report.pk, body="Siapa nama petugas loketnya?"
    )

    page.goto(f"{live_server.url}/kotak-surat/")
    assert page.is_visible("#pow-wait-note")  # without scripts the wait is explained
    page.fill("#id_receipt", receipts.group(receipt))
    time.sleep(1.2)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/kotak-surat/$"))
    assert "Siapa nama petugas loketnya?" in page.content()
    question = Message.objects.get(kind=MessageKind.QUESTION)
    page.fill(f"#answer-{question.pk}", "Namanya Pak Anton.")
    page.click(f"#answer-{question.pk} ~ p button")
    page.wait_for_url(re.compile(r"terkirim=1"))
    answer = Message.objects.get(kind=MessageKind.ANSWER)
    assert answer.reply_to_id == question.pk
    assert "Namanya Pak Anton." in page.content()


def test_login_with_javascript_solves_the_proof_of_work(live_server, page, agency_a, tmp_path) -> None:
    receipt = _report(page, live_server.url, tmp_path)
    page.goto(f"{live_server.url}/kotak-surat/")
    assert not page.is_visible("#pow-wait-note")  # the script hides the wait explanation
    page.fill("#id_receipt", receipt)
    page.click("button.primary")  # no waiting: the browser computes the check
    page.wait_for_url(re.compile(r"/kotak-surat/$"))
    assert page.is_visible("#status-title")
    nonce_ok = (
        page.evaluate("""() => {
        const h = window.sigapPow.sha256(Array.from(new TextEncoder().encode('abc')));
        return h.map(x => x.toString(16).padStart(8, '0')).join('');
    }""")
        if page.evaluate("() => !!window.sigapPow")
        else None
    )
    assert nonce_ok in (None, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_where_hashing_is_too_slow_the_login_waits_instead(live_server, page, agency_a, tmp_path, settings) -> None:
    """Tor Browser's safer levels switch the JIT off: the check may take minutes to compute there.
    The script then sends the form once the wait the server also accepts is over."""
    receipt = _report(page, live_server.url, tmp_path)
    settings.SIGAP_POW_BITS = 40  # beyond any browser in a test's time
    settings.SIGAP_POW_WAIT_SECONDS = 2
    page.goto(f"{live_server.url}/kotak-surat/")
    page.fill("#id_receipt", receipt)
    page.click("button.primary")
    page.wait_for_selector("#status-title", timeout=15_000)  # the mailbox, opened after the wait
    assert page.is_visible("#status-title")
