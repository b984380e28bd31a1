"""Files made on the spot, with the metadata a careless upload would carry."""

from __future__ import annotations

import io
import zipfile

MARKER = "RAHASIA-PENANDA-7731"


def jpeg_with_gps(*, orientation: int = 1, size: tuple[int, int] = (40, 20)) -> bytes:
    from PIL import Image

    im = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x0110] = "ModelRahasia"  # Model
    exif[0x0131] = MARKER  # Software
    exif[0x0112] = orientation
    gps = {1: "S", 2: (5.0, 25.0, 12.5), 3: "E", 4: (105.0, 15.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif, comment=MARKER.encode())
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARKER)
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = MARKER
    pdf.docinfo["/Producer"] = "AlatRahasia"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [MARKER + "-XMP"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def docx_with_properties() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document><w:body>Isi dokumen bukti</w:body></w:document>")
        z.writestr(
            "docProps/core.xml",
            f"<cp:coreProperties><dc:creator>{MARKER}</dc:creator>"
            "<cp:lastModifiedBy>Pegawai X</cp:lastModifiedBy></cp:coreProperties>",
        )
        z.writestr("docProps/app.xml", f"<Properties><Company>{MARKER}-CO</Company></Properties>")
        z.writestr(
            "docProps/custom.xml", f"<Properties><property name='x'>{MARKER}-CUSTOM</property></Properties>"
        )
    return out.getvalue()


def mp4_with_location() -> bytes:
    import struct

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    xyz = box(b"\xa9xyz", ("+05.4200+105.2600/" + MARKER).encode())
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100) + box(b"udta", xyz))
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + moov + box(b"mdat", b"\x01\x02\x03" * 50)


def docx_with_people_inside() -> bytes:
    """A document whose parts name people and times beyond its properties: a comment's author and
    date, a tracked change, the people list with an account, a workbook-style saved-in folder, a
    .NET-made properties part and a photo with GPS inside."""
    out = io.BytesIO()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr(
            "word/document.xml",
            f"<w:document {w}><w:body><w:ins w:id='1' w:author='{MARKER}-TRACK' w:date='2026-03-04T09:12:33Z'>"
            "<w:r><w:t>Isi dokumen bukti</w:t></w:r></w:ins></w:body></w:document>",
        )
        z.writestr(
            "word/comments.xml",
            f'<w:comments {w}><w:comment w:id="0" w:author="{MARKER}-COMMENT" w:initials="BS" '
            'w:date="2026-03-04T09:12:33Z"><w:p><w:r><w:t>cek lagi</w:t></w:r></w:p></w:comment></w:comments>',
        )
        z.writestr(
            "word/people.xml",
            f'<w15:people><w15:person w15:author="{MARKER}-PERSON"><w15:presenceInfo w15:providerId="AD" '
            f'w15:userId="S::{MARKER.lower()}@pemda.go.id"/></w15:person></w15:people>',
        )
        z.writestr("xl/workbook.xml", f'<workbook><x15ac:absPath url="C:\\Users\\{MARKER}\\Documents\\"/></workbook>')
        z.writestr("package/services/metadata/core-properties/abc.psmdcp",
                   f"<coreProperties><creator>{MARKER}-NET</creator></coreProperties>")
        z.writestr("word/media/image1.jpeg", jpeg_with_gps())
    return out.getvalue()


def odt_with_an_annotation() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr(
            "content.xml",
            "<office:document-content><office:body><office:text><text:p>Isi dokumen bukti"
            f"<office:annotation><dc:creator>{MARKER}-NOTE</dc:creator><dc:date>2026-03-04T09:12:33</dc:date>"
            "<text:p>cek lagi</text:p></office:annotation></text:p></office:text></office:body>"
            "</office:document-content>",
        )
        z.writestr("meta.xml", f"<office:document-meta><meta:initial-creator>{MARKER}</meta:initial-creator>"
                               "</office:document-meta>")
        z.writestr("Pictures/foto.jpg", jpeg_with_gps())
    return out.getvalue()
