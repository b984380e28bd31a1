from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sigap.audit.models import AuditEvent
from sigap.core.errors import NotFound
from sigap.evidence import storage
from sigap.evidence.storage import EvidenceRefused, evidence_of_report, open_evidence, store_evidence
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.evidence.samples import (
    MARKER,
    docx_with_properties,
    jpeg_with_gps,
    mp4_with_location,
    pdf_with_metadata,
    png_with_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(agency_a, submit):  # type: ignore[no-untyped-def]
    return submit(system_actor(agency_a))


def upload(data: bytes, name: str = "bukti.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_bytes(agency, evidence) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(storage.iter_plaintext(evidence))


def all_files(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_jpeg_exif_and_gps_removed(report, agency_a, settings):  # type: ignore[no-untyped-def]
    from PIL import Image

    original = jpeg_with_gps(orientation=6, size=(40, 20))
    assert MARKER.encode() in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(original, "foto.jpg"), keep_metadata=False
    )
    assert ev.mime_type == "image/jpeg" and ev.metadata_removed and not ev.keep_metadata
    data = stored_bytes(agency_a, ev)
    im = Image.open(io.BytesIO(data))
    exif = im.getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0131 not in exif
    assert b"Exif" not in data and MARKER.encode() not in data and b"KameraMerek" not in data
    assert im.size == (20, 40)  # orientation 6 applied before EXIF was dropped
    assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert ev.original_sha256 == hashlib.sha256(original).hexdigest()
    assert ev.original_size == len(original) and ev.size == len(data)
    raw = all_files(Path(settings.SIGAP_EVIDENCE_DIR))
    assert MARKER.encode() not in raw and b"JFIF" not in raw and b"\xff\xd8\xff" not in raw[:8]


def test_keep_metadata_stores_original_bytes(report, agency_a):  # type: ignore[no-untyped-def]
    original = jpeg_with_gps()
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(original, "foto.jpg"), keep_metadata=True
    )
    assert ev.keep_metadata and not ev.metadata_removed
    assert stored_bytes(agency_a, ev) == original
    assert ev.sha256 == ev.original_sha256 == hashlib.sha256(original).hexdigest()
    events = list(AuditEvent.objects.filter(action="evidence.stored", object_id=str(ev.pk)))
    assert events and events[0].data["keep_metadata"] is True


def test_png_text_chunks_removed(report, agency_a):  # type: ignore[no-untyped-def]
    ev = store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=upload(png_with_text(), "a.png"),
        keep_metadata=False,
    )
    assert ev.mime_type == "image/png"
    assert MARKER.encode() not in stored_bytes(agency_a, ev)


def test_pdf_info_and_xmp_removed(report, agency_a):  # type: ignore[no-untyped-def]
    import pikepdf

    original = pdf_with_metadata()
    assert MARKER.encode() in original
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(original, "surat.pdf"), keep_metadata=False
    )
    data = stored_bytes(agency_a, ev)
    assert ev.mime_type == "application/pdf" and ev.metadata_removed
    assert MARKER.encode() not in data and b"AlatRahasia" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer or not dict(pdf.docinfo)
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 1


def test_pdf_keep_metadata(report, agency_a):  # type: ignore[no-untyped-def]
    original = pdf_with_metadata()
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(original, "surat.pdf"), keep_metadata=True
    )
    assert stored_bytes(agency_a, ev) == original


def test_docx_properties_blanked(report, agency_a):  # type: ignore[no-untyped-def]
    original = docx_with_properties()
    ev = store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=upload(original, "laporan.docx"),
        keep_metadata=False,
    )
    assert ev.mime_type.endswith("wordprocessingml.document") and ev.metadata_removed
    with zipfile.ZipFile(io.BytesIO(stored_bytes(agency_a, ev))) as z:
        assert MARKER.encode() not in z.read("docProps/core.xml")
        assert MARKER.encode() not in z.read("docProps/app.xml")
        assert MARKER.encode() not in z.read("docProps/custom.xml")
        assert b"Pegawai X" not in z.read("docProps/core.xml")
        assert z.read("word/document.xml") == b"<w:document><w:body>Isi dokumen bukti</w:body></w:document>"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())


def test_the_people_and_photos_inside_a_document_are_cleaned(report, agency_a):  # type: ignore[no-untyped-def]
    from PIL import Image

    from tests.evidence.samples import docx_with_people_inside

    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(docx_with_people_inside(), "laporan.docx"),
        keep_metadata=False,
    )
    with zipfile.ZipFile(io.BytesIO(stored_bytes(agency_a, ev))) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    assert not [name for name, data in parts.items() if MARKER.encode() in data or MARKER.lower().encode() in data]
    assert b"2026-03-04" not in parts["word/document.xml"] + parts["word/comments.xml"]
    assert b"Isi dokumen bukti" in parts["word/document.xml"] and b"cek lagi" in parts["word/comments.xml"]
    with Image.open(io.BytesIO(parts["word/media/image1.jpeg"])) as photo:
        assert not photo.getexif() and photo.size == (40, 20)  # the same picture, no GPS


def test_an_odf_annotations_author_and_pictures_are_cleaned(report, agency_a):  # type: ignore[no-untyped-def]
    from tests.evidence.samples import odt_with_an_annotation

    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(odt_with_an_annotation(), "laporan.odt"),
        keep_metadata=False,
    )
    assert ev.mime_type == "application/vnd.oasis.opendocument.text" and ev.metadata_removed
    with zipfile.ZipFile(io.BytesIO(stored_bytes(agency_a, ev))) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    assert not [name for name, data in parts.items() if MARKER.encode() in data]
    assert b"2026-03-04" not in parts["content.xml"] and b"cek lagi" in parts["content.xml"]
    assert b"GPS" not in parts["Pictures/foto.jpg"] and parts["Pictures/foto.jpg"][:2] == b"\xff\xd8"


def test_docx_keep_metadata(report, agency_a):  # type: ignore[no-untyped-def]
    original = docx_with_properties()
    ev = store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=upload(original, "laporan.docx"),
        keep_metadata=True,
    )
    data = stored_bytes(agency_a, ev)
    assert data == original
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert MARKER.encode() in z.read("docProps/core.xml")


def test_mp4_location_box_blanked(report, agency_a):  # type: ignore[no-untyped-def]
    original = mp4_with_location()
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(original, "video.mp4"), keep_metadata=False
    )
    data = stored_bytes(agency_a, ev)
    assert ev.mime_type == "video/mp4" and ev.metadata_removed
    assert len(data) == len(original) and MARKER.encode() not in data and b"+105.26" not in data
    assert data.endswith(b"\x01\x02\x03" * 50)


def test_text_file_stored(report, agency_a):  # type: ignore[no-untyped-def]
    text = ("Catatan saksi: " + MARKER + "\n").encode() * 10
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(text, "catatan.txt"), keep_metadata=False
    )
    assert ev.mime_type == "text/plain" and not ev.metadata_removed
    assert stored_bytes(agency_a, ev) == text


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,  # Windows executable
        b"\x7fELF\x02\x01\x01" + b"\x00" * 200,  # Linux executable
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"  <html><body onload=alert(1)>x</body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"#!/bin/sh\nrm -rf /\n",
        b"Rar!\x1a\x07\x00" + b"\x00" * 50,
        b"7z\xbc\xaf\x27\x1c" + b"\x00" * 50,
        b"\x1f\x8b\x08\x00" + b"\x00" * 50,
    ],
)
def test_dangerous_types_refused_by_content_even_named_jpg(report, agency_a, settings, data):  # type: ignore[no-untyped-def]
    with pytest.raises(EvidenceRefused) as info:
        store_evidence(
            actor=system_actor(agency_a), report=report, upload=upload(data, "foto.jpg"), keep_metadata=False
        )
    assert "not accepted" in info.value.message
    root = Path(settings.SIGAP_EVIDENCE_DIR)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_plain_zip_and_macro_documents_refused(report, agency_a):  # type: ignore[no-untyped-def]
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("program.exe", b"MZ...")
    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/vbaProject.bin", b"\x00macro")
    for data in (plain.getvalue(), macro.getvalue()):
        with pytest.raises(EvidenceRefused):
            store_evidence(
                actor=system_actor(agency_a),
                report=report,
                upload=upload(data, "dok.docx"),
                keep_metadata=False,
            )


def test_oversized_refused_while_streaming(report, agency_a, settings):  # type: ignore[no-untyped-def]
    settings.SIGAP_MAX_FILE_BYTES = 200 * 1024
    big = b"baris teks biasa\n" * 20_000  # ~340 KB of text
    f = upload(big, "besar.txt")
    f.size = 10  # a lying declared size: the limit is enforced on the bytes read
    with pytest.raises(EvidenceRefused) as info:
        store_evidence(actor=system_actor(agency_a), report=report, upload=f, keep_metadata=False)
    assert "larger than" in info.value.message
    root = Path(settings.SIGAP_EVIDENCE_DIR)
    assert not any(p.is_file() for p in root.rglob("*"))  # the partial file was deleted
    assert evidence_of_report(report=report) == []


def test_oversized_image_refused_before_sanitising(report, agency_a, settings):  # type: ignore[no-untyped-def]
    settings.SIGAP_MAX_FILE_BYTES = 1000
    with pytest.raises(EvidenceRefused):
        store_evidence(
            actor=system_actor(agency_a),
            report=report,
            upload=upload(jpeg_with_gps(size=(400, 400))),
            keep_metadata=False,
        )


def test_report_total_limit(report, agency_a, settings):  # type: ignore[no-untyped-def]
    settings.SIGAP_MAX_FILE_BYTES = 100 * 1024
    settings.SIGAP_MAX_REPORT_BYTES = 150 * 1024
    chunk = b"a" * (80 * 1024)
    store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(chunk, "1.txt"), keep_metadata=False
    )
    with pytest.raises(EvidenceRefused) as info:
        store_evidence(
            actor=system_actor(agency_a), report=report, upload=upload(chunk, "2.txt"), keep_metadata=False
        )
    assert "total" in info.value.message
    assert len(evidence_of_report(report=report)) == 1
    report.refresh_from_db()
    assert report.evidence_count == 1


def test_empty_and_damaged_refused(report, agency_a):  # type: ignore[no-untyped-def]
    with pytest.raises(EvidenceRefused):
        store_evidence(
            actor=system_actor(agency_a), report=report, upload=upload(b"", "x.txt"), keep_metadata=False
        )
    with pytest.raises(EvidenceRefused) as info:
        store_evidence(
            actor=system_actor(agency_a),
            report=report,
            upload=upload(b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "x.jpg"),
            keep_metadata=False,
        )
    assert "damaged" in info.value.message


def test_encrypted_file_on_disk_has_no_marker(report, agency_a, settings):  # type: ignore[no-untyped-def]
    text = ("isi rahasia " + MARKER + "\n").encode() * 5000
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(text, f"{MARKER}.txt"), keep_metadata=False
    )
    path = storage.path_of(agency_a.pk, ev.storage_key)
    raw = path.read_bytes()
    assert path.stat().st_mode & 0o077 == 0
    assert MARKER.encode() not in raw and b"isi rahasia" not in raw and len(raw) > len(text)
    assert MARKER not in path.name and MARKER.encode() not in bytes(ev.name_sealed)
    assert storage.name_of(ev) == f"{MARKER}.txt"


def test_tampered_file_does_not_open(report, agency_a):  # type: ignore[no-untyped-def]
    from sigap.core.crypto import DecryptionFailed

    ev = store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=upload(b"teks\n" * 100, "a.txt"),
        keep_metadata=False,
    )
    path = storage.path_of(agency_a.pk, ev.storage_key)
    raw = bytearray(path.read_bytes())
    raw[60] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(DecryptionFailed):
        b"".join(storage.iter_plaintext(ev))
    path.write_bytes(bytes(raw[:40]))  # truncated
    with pytest.raises(DecryptionFailed):
        b"".join(storage.iter_plaintext(ev))


def test_open_evidence_access_checked(report, agency_a, agency_b, actor_of):  # type: ignore[no-untyped-def]
    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(b"teks\n", "a.txt"), keep_metadata=False
    )
    officer_a = actor_of(agency_a, Role.VERIFIKATOR)
    got, data = open_evidence(actor=officer_a, evidence_id=ev.pk)
    assert got.pk == ev.pk and data == b"teks\n"
    assert AuditEvent.objects.filter(action="evidence.opened", object_id=str(ev.pk)).exists()
    with pytest.raises(NotFound):
        open_evidence(actor=actor_of(agency_b, Role.SUPERVISOR), evidence_id=ev.pk)
    with pytest.raises(NotFound):
        open_evidence(actor=actor_of(agency_a, Role.ANALYST), evidence_id=ev.pk)  # no CASE_READ
    with pytest.raises(NotFound):
        open_evidence(actor=officer_a, evidence_id=ev.pk + 999)


def test_cross_agency_store_refused(report, agency_b):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        store_evidence(
            actor=system_actor(agency_b),
            report=report,
            upload=upload(b"teks\n", "a.txt"),
            keep_metadata=False,
        )


def test_cleanup_removes_orphans_only(report, agency_a, settings):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    ev = store_evidence(
        actor=system_actor(agency_a), report=report, upload=upload(b"teks\n", "a.txt"), keep_metadata=False
    )
    orphan = storage.path_of(agency_a.pk, "ab" * 20)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    call_command("evidence", "cleanup", "--older-than-hours", "0")
    assert not orphan.exists() and storage.path_of(agency_a.pk, ev.storage_key).exists()


def test_a_refused_file_among_several_is_named(agency_a):  # type: ignore[no-untyped-def]
    files = [upload(b"catatan kuitansi", "catatan.txt"), upload(b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "foto-2.jpg")]
    with pytest.raises(EvidenceRefused) as info, storage.prepared_evidence(
        instansi_id=agency_a.pk, uploads=files, keep_metadata=False
    ):
        pass
    assert info.value.message.startswith("“foto-2.jpg”: ") and "damaged" in info.value.message
