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
