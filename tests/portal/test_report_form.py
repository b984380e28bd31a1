"""The portal form: agency and hub portals, 5W2H, anonymity, bad input, double submit, receipts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sigap.cases.content import open_content
from sigap.cases.models import Report
from sigap.evidence.models import Evidence
from sigap.evidence.storage import evidence_of_report
from sigap.reporters.models import Anonymity, Reporter, SubmissionToken
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import incoming, make_user
from tests.portal.helpers import (
    form_token,
    hidden_value,
    receipt_from,
    submit_and_get_receipt,
    submit_report,
)
from tests.portal.images import jpeg_with_gps

pytestmark = pytest.mark.django_db
URL = "/prov-a/lapor/"


def db_text() -> str:
    """Every value of every row of SIGAP's tables, as text (binary values as bytes' repr)."""
    parts = []
    for model in apps.get_models():
        if model._meta.app_label == "regions":
            continue  # reference data
        for row in model._default_manager.all().values_list():
            parts.append(repr(row))
    return "\n".join(parts)


def test_form_is_accessible_and_self_contained(agency_a) -> None:
    page = Client().get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="id">' in html
    assert "no-store" in page["Cache-Control"]
    for field in ("what", "where", "when", "how", "how_much", "who_0_name", "who_2_institution", "region"):
        assert f'for="id_{field}"' in html, field
    assert 'aria-describedby="id_what_help"' in html
    assert html.count('type="radio" name="anonymity"') == 3
    assert re.search(r'value="anonymous"[^>]*checked', html)
    assert not re.search(r'(src|href)="(https?:)?//', html), "third-party resource"
    assert "<script" not in html  # the report form needs no JavaScript at all
    assert "Kota Bandar Lampung" in html or "KOTA BANDAR LAMPUNG" in html.upper()


def test_english_version(agency_a) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = client.get(URL).content.decode()
    assert '<html lang="en">' in html and "What happened?" in html


def test_agency_report_lands_in_that_agency(agency_a) -> None:
    client = Client()
    receipt = submit_and_get_receipt(client, URL, how_much="Rp 1,5 miliar", region="18.71")
    report = Report.objects.get()
    assert report.instansi == agency_a and report.channel == "web"
    assert report.amount == 1_500_000_000 and report.region_code == "18.71"
    content = open_content(report.instansi_id, report.content_sealed)
    assert content.how_much == "Rp 1,5 miliar" and content.who[0].name == "Budi" and len(content.who) == 1
    assert report.reporter.anonymity == Anonymity.ANONYMOUS and report.reporter.identity_sealed is None
    assert receipt not in db_text()  # only the Argon2 hash and a keyed lookup of the prefix are stored


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("about 2 billion", 2_000_000_000),  # the English help text's own example
        ("IDR 1.5 billion", 1_500_000_000),
        ("IDR 1,500,000", 1_500_000),
        ("2bn", 2_000_000_000),
        ("Rp 1,2 M", 1_200_000_000),
        ("sekitar dua ratus jutaan lebih", 200_000_000),
        ("tidak tahu pasti", None),
    ],
)
def test_the_amount_answer_is_read_in_english_and_indonesian(agency_a, typed, amount) -> None:
    submit_and_get_receipt(Client(), URL, how_much=typed)
    report = Report.objects.get()
    assert report.amount == amount and report.case.amount == amount
    assert open_content(report.instansi_id, report.content_sealed).how_much == typed  # kept as typed


def test_hub_portal_lands_in_the_hub_queue(agency_a, hub) -> None:
    client = Client()
    assert "/lapor/" in client.get("/lapor/").content.decode()
    submit_and_get_receipt(client, "/lapor/")
    assert Report.objects.get().instansi == hub and hub.is_hub


def test_unknown_agency_is_404(agency_a) -> None:
    assert Client().get("/tidak-ada/lapor/").status_code == 404


def test_missing_what_reshows_the_form_with_everything_typed(agency_a) -> None:
    client = Client()
    response = submit_report(client, URL, what="", where="Pasar Tugu", who_1_position="Bendahara")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html and 'id="id_what_error"' in html
    assert 'aria-describedby="id_what_help id_what_error"' in html
    assert "Pasar Tugu" in html and "Bendahara" in html
    assert Report.objects.count() == 0


def test_anonymous_mode_drops_identity(agency_a) -> None:
    submit_and_get_receipt(
        Client(),
        URL,
        anonymity="anonymous",
        name="Siti Identitas",
        phone="0812-3456-7890",
        email="siti@example.org",
    )
    reporter = Reporter.objects.get()
    assert reporter.identity_sealed is None and reporter.contact_sealed is None
    text = db_text()
    assert "Siti Identitas" not in text and "0812-3456-7890" not in text and "siti@example.org" not in text


def test_confidential_needs_a_name_and_a_custodian(agency_a) -> None:
    client = Client()
    response = submit_report(client, URL, anonymity="confidential", name="")
    assert response.status_code == 400 and 'id="id_name_error"' in response.content.decode()
    response = submit_report(client, URL, anonymity="confidential", name="Siti")
    assert response.status_code == 400  # no custodian has a key yet: said in one sentence, text kept
    assert "Siti" in response.content.decode() and Report.objects.count() == 0


def test_without_a_custodian_only_anonymity_can_be_chosen(agency_a) -> None:
    import re

    from sigap.vault.actions import ensure_custodian_key

    def inputs(page: str) -> dict[str, str]:
        return dict(re.findall(r'<input type="radio" name="anonymity" value="(\w+)"([^>]*)>', page))

    page = Client().get(URL).content.decode()
    found = inputs(page)
    assert "disabled" not in found["anonymous"] and "checked" in found["anonymous"]
    assert "disabled" in found["confidential"] and "disabled" in found["identified"]
    assert '<fieldset class="identity" disabled>' in page and 'id="anonymity-note"' in page
    ensure_custodian_key(make_user(agency_a, Role.CUSTODIAN), "kunci-kustodian-panjang-1")
    page = Client().get(URL).content.decode()
    assert not any("disabled" in attrs for attrs in inputs(page).values())
    assert 'aria-describedby="anonymity-note"' not in page


def test_confidential_identity_is_sealed_to_custodians(agency_a) -> None:
    from sigap.vault.actions import ensure_custodian_key
    from sigap.vault.identity import recipients_of

    custodian = make_user(agency_a, Role.CUSTODIAN)
    key = ensure_custodian_key(custodian, "kunci-kustodian-panjang-1")
    submit_and_get_receipt(Client(), URL, anonymity="confidential", name="Siti Rahasia", phone="08123")
    reporter = Reporter.objects.get()
    assert reporter.anonymity == Anonymity.CONFIDENTIAL
    assert recipients_of(bytes(reporter.identity_sealed)) == {key.fingerprint}
    assert "Siti Rahasia" not in db_text()


def test_passphrase_must_match(agency_a) -> None:
    response = submit_report(Client(), URL, passphrase="satu dua tiga", passphrase_again="satu dua empat")
    assert response.status_code == 400 and 'id="id_passphrase_again_error"' in response.content.decode()
    assert "satu dua" not in response.content.decode()  # never echoed


def test_receipt_is_shown_once(agency_a) -> None:
    client = Client()
    response = submit_report(client, URL)
    page = client.get(response["Location"])
    receipt = receipt_from(page.content.decode())
    assert "no-store" in page["Cache-Control"]
    again = client.get(response["Location"])
    assert again.status_code == 410 and receipt not in again.content.decode()
    assert SubmissionToken.objects.get().receipt_sealed is None


def test_double_submit_stores_one_report(agency_a) -> None:
    client = Client()
    token = form_token(client, URL)
    first = submit_report(client, URL, token=token)
    second = submit_report(client, URL, token=token)  # double click: the first answer never shown
    assert first.status_code == second.status_code == 302
    page = client.get(second["Location"]).content.decode()
    receipt = receipt_from(page)  # the pending receipt is shown once, to whichever answer comes first
    third = submit_report(client, URL, token=token)
    assert Report.objects.count() == 1
    later = client.get(third["Location"]).content.decode()
    assert Report.objects.get().tracking_number in later and receipt not in later


def test_forged_form_token_keeps_the_text(agency_a) -> None:
    response = submit_report(Client(), URL, token="palsu", where="Jalan Forgeri")
    html = response.content.decode()
    assert response.status_code == 400 and "Jalan Forgeri" in html
    assert hidden_value(html, "form_token") != "palsu" and Report.objects.count() == 0


def test_post_after_the_session_expired_still_stores(agency_a) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL).content.decode()
    token, csrf = hidden_value(page, "form_token"), hidden_value(page, "csrfmiddlewaretoken")
    client.cookies.pop(
        django_settings.SESSION_COOKIE_NAME, None
    )  # the session is gone; the CSRF cookie stays
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    data = {
        "form_token": token,
        "csrfmiddlewaretoken": csrf,
        "what": "Setelah sesi habis",
        "anonymity": "anonymous",
    }
    response = client.post(URL, data)
    assert response.status_code == 302 and Report.objects.count() == 1


def test_oversized_file_reshows_the_form_and_asks_for_files_again(agency_a, settings) -> None:
    settings.SIGAP_MAX_FILE_BYTES = 1024
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8\xff" + b"0" * 4000, content_type="image/jpeg")
    response = submit_report(Client(), URL, files=[big], where="Gudang Logistik")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Gudang Logistik" in html and 'id="files-lost"' in html
    assert Report.objects.count() == 0


def test_refused_file_type_stores_nothing(agency_a) -> None:
    exe = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300)
    response = submit_report(Client(), URL, files=[exe], where="Kantor Dinas")
    assert response.status_code == 400 and "Kantor Dinas" in response.content.decode()
    assert 'id="files-lost"' in response.content.decode()
    assert Report.objects.count() == 0 and Reporter.objects.count() == 0


def test_too_many_files_keep_the_typed_report(agency_a, settings) -> None:
    from sigap.evidence.models import Evidence

    photos = [SimpleUploadedFile(f"foto{i}.jpg", jpeg_with_gps(), content_type="image/jpeg")
              for i in range(settings.SIGAP_MAX_FILES + 1)]
    response = submit_report(Client(), URL, files=photos, where="Gudang Logistik")
    html = response.content.decode()
    assert response.status_code == 400 and "Gudang Logistik" in html and 'id="files-lost"' in html
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0
    many = [SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(150)]  # past Django's default of 100
    flood = submit_report(Client(), URL, files=many, where="Gudang Logistik")
    assert flood.status_code == 400 and "Gudang Logistik" in flood.content.decode()


def files_on_disk() -> list[str]:
    root = Path(django_settings.SIGAP_EVIDENCE_DIR)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_refused_second_file_leaves_no_file_of_the_first(agency_a) -> None:
    # The good photo is cleaned and encrypted before the refusal of the next file is known; the
    # refusal must take it back off the disk, not leave an unreadable orphan behind.
    photo = SimpleUploadedFile("kuitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    exe = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300)
    response = submit_report(Client(), URL, files=[photo, exe], where="Kantor Dinas")
    assert response.status_code == 400 and 'id="files-lost"' in response.content.decode()
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0
    assert files_on_disk() == []


def test_evidence_is_cleaned_before_the_submission_locks_the_agencys_numbers(agency_a, monkeypatch) -> None:
    # Cleaning a photo takes a while; the agency's number counter stays locked from its first use
    # to the commit, so cleaning inside the transaction would hold up every other submission.
    from sigap.cases.models import Counter
    from sigap.evidence import sanitize

    seen: list[tuple[int, int]] = []
    real = sanitize.sanitizer_for

    def observed(mime: str):  # type: ignore[no-untyped-def]
        clean = real(mime)
        assert clean is not None

        def run(src, out):  # type: ignore[no-untyped-def]
            seen.append((Counter.objects.filter(instansi=agency_a).count(), Report.objects.count()))
            clean(src, out)

        return run

    monkeypatch.setattr(sanitize, "sanitizer_for", observed)
    photo = SimpleUploadedFile("kuitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    submit_and_get_receipt(Client(), URL, files=[photo])
    assert seen == [(0, 0)]
    assert Evidence.objects.get().metadata_removed and len(files_on_disk()) == 1


def test_a_submission_that_fails_after_its_files_were_prepared_deletes_them(agency_a, monkeypatch) -> None:
    from sigap.intake.portal import actions

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("mailbox unavailable")

    monkeypatch.setattr(actions, "post_acknowledgement", broken)
    photo = SimpleUploadedFile("kuitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with pytest.raises(RuntimeError):
        actions.submit_portal_report(
            actor=system_actor(agency_a), incoming=incoming(), form_token="t" * 32, files=[photo]
        )
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0
    assert files_on_disk() == []


def test_image_evidence_is_stored_without_location(agency_a) -> None:
    from sigap.evidence.storage import iter_plaintext
    from tests.portal.images import exif_of

    photo = SimpleUploadedFile("kuitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    submit_and_get_receipt(Client(), URL, files=[photo])
    report = Report.objects.get()
    [evidence] = evidence_of_report(report=report)
    assert report.evidence_count == 1 and evidence.metadata_removed
    assert "gps" not in exif_of(b"".join(iter_plaintext(evidence)))


@pytest.mark.parametrize("junk", [" . ", "....", "\U0001f621\U0001f621\U0001f621", "\u200b" * 7, "12 34 !!"])
def test_a_report_without_a_word_is_refused_and_the_rest_kept(agency_a, junk) -> None:
    response = submit_report(Client(), URL, what=junk, where="Kantor Kelurahan Sukamaju")
    html = response.content.decode()
    assert response.status_code == 400 and Report.objects.count() == 0
    assert "Ceritakan dengan kata-kata apa yang terjadi" in html and "Kantor Kelurahan Sukamaju" in html


def test_a_few_words_are_enough(agency_a) -> None:
    assert submit_report(Client(), URL, what="pungli KTP").status_code == 302
    assert Report.objects.count() == 1


def test_a_receipt_never_shown_is_wiped_once_its_form_has_expired(agency_a) -> None:
    import datetime as dt

    from sigap.intake.portal.actions import forget_unshown_receipts
    from sigap.reporters.models import SubmissionToken

    client = Client()
    assert submit_report(client, URL).status_code == 302  # the connection drops: the receipt page never loads
    waiting = SubmissionToken.objects.get()
    assert waiting.receipt_sealed is not None and forget_unshown_receipts() == 0  # a second post may still ask
    SubmissionToken.objects.filter(pk=waiting.pk).update(created_at=waiting.created_at - dt.timedelta(days=15))
    assert submit_report(Client(), URL).status_code == 302  # any later submission wipes it
    waiting.refresh_from_db()
    assert waiting.receipt_sealed is None
