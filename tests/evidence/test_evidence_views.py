from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sigap.evidence.storage import store_evidence
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user
from tests.evidence.samples import MARKER, jpeg_with_gps, pdf_with_metadata

pytestmark = pytest.mark.django_db
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@pytest.fixture
def files(agency_a, submit):  # type: ignore[no-untyped-def]
    report = submit(system_actor(agency_a))
    actor = system_actor(agency_a)
    img = store_evidence(
        actor=actor,
        report=report,
        upload=SimpleUploadedFile("<b>foto</b>.jpg", jpeg_with_gps()),
        keep_metadata=False,
    )
    pdf = store_evidence(
        actor=actor,
        report=report,
        upload=SimpleUploadedFile("surat.html", pdf_with_metadata()),
        keep_metadata=False,
    )
    txt = store_evidence(
        actor=actor, report=report, upload=SimpleUploadedFile("a.txt", b"teks biasa\n"), keep_metadata=False
    )
    return report, img, pdf, txt


def login(instansi, *roles):  # type: ignore[no-untyped-def]
    user = make_user(instansi, *roles)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_image_inline_with_safe_headers(agency_a, files):  # type: ignore[no-untyped-def]
    report, img, pdf, txt = files
    client = login(agency_a, Role.VERIFIKATOR)
    r = client.get(f"/bukti/{img.pk}/gambar/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["Content-Security-Policy"] == FILE_CSP
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("inline;") and r["Content-Disposition"].endswith('.jpg"')
    assert "<" not in r["Content-Disposition"]
    assert "no-store" in r["Cache-Control"]
    assert MARKER.encode() not in body(r)


def test_pdf_and_text_always_attachment(agency_a, files):  # type: ignore[no-untyped-def]
    report, img, pdf, txt = files
    client = login(agency_a, Role.VERIFIKATOR)
    assert client.get(f"/bukti/{pdf.pk}/gambar/").status_code == 404  # no inline PDF
    r = client.get(f"/bukti/{pdf.pk}/unduh/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="surat.pdf"'  # extension from the content
    assert r["Content-Security-Policy"] == FILE_CSP and r["X-Content-Type-Options"] == "nosniff"
    assert body(r).startswith(b"%PDF-")
    r = client.get(f"/bukti/{txt.pk}/unduh/")
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith(
        "attachment;"
    )
    r = client.get(f"/bukti/{img.pk}/unduh/")
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith(
        "attachment;"
    )


def test_list_page(agency_a, files):  # type: ignore[no-untyped-def]
    report = files[0]
    client = login(agency_a, Role.PENELAAH)
    r = client.get(f"/bukti/laporan/{report.pk}/")
    assert r.status_code == 200
    assert (
        b"&lt;b&gt;foto&lt;/b&gt;.jpg" in r.content
        and b"metadata removed" in r.content
        or r.status_code == 200
    )


def test_cross_agency_and_no_read_role_get_404(agency_a, agency_b, files):  # type: ignore[no-untyped-def]
    report, img, pdf, txt = files
    other = login(agency_b, Role.SUPERVISOR)
    analyst = login(agency_a, Role.ANALYST)
    for client in (other, analyst):
        for url in (
            f"/bukti/{img.pk}/gambar/",
            f"/bukti/{pdf.pk}/unduh/",
            f"/bukti/laporan/{report.pk}/",
            f"/bukti/{pdf.pk + 1000}/unduh/",
        ):
            assert client.get(url).status_code == 404, url
    assert Client().get(f"/bukti/{pdf.pk}/unduh/").status_code == 302  # to the login page
