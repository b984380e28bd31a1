"""What a file is (by its content, never its name) and removing the metadata that can betray a
reporter: camera, GPS position, author names, software, dates.

Only types on the allow-list are accepted. Sanitisers read a seekable plaintext spool and write a
new file; they never execute or render content beyond decoding pixels (Pillow) and parsing
PDF objects (qpdf through pikepdf).
"""

from __future__ import annotations

import codecs
import io
import re
import shutil
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

HEAD_BYTES = 8192
MAX_IMAGE_PIXELS = 120_000_000
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024


class Unacceptable(Exception):
    """The file is refused; `message` is one sentence for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def type_refused() -> Unacceptable:
    return Unacceptable(
        _("This type of file is not accepted: send photos, PDF, Office or text documents, audio or video.")
    )


def damaged() -> Unacceptable:
    return Unacceptable(
        _("This file seems damaged and could not be checked: send it again or in another format.")
    )


@dataclass(frozen=True)
class Sniffed:
    mime: str
    family: str  # image, pdf, zip, text, audio, video

    @property
    def needs_spool(self) -> bool:
        return self.family == "zip"


_MP4_AUDIO = {b"M4A ", b"M4B "}
_3GP = {b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs7", b"3ge6", b"3ge7", b"3gg6", b"3g2a", b"3g2b", b"3g2c"}
_MP4_VIDEO = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"MSNV",
    b"dash",
    b"mmp4",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"f4v ",
    b"NDAS",
    b"XAVC",
}
_MARKUP = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<?xml",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<?php",
    b"<%",
    b"<xsl",
    b"<meta",
    b"<a ",
    b"<img",
    b"<style",
    b"<form",
    b"<link",
)


def _is_mp3(head: bytes) -> bool:
    if head.startswith(b"ID3") and len(head) >= 10:
        return True
    # MPEG audio frame sync, layer III (0xFFFx / 0xFFEx with layer bits 01).
    return (
        len(head) >= 4
        and head[0] == 0xFF
        and (head[1] & 0xE0) == 0xE0
        and (head[1] & 0x06) == 0x02
        and (head[2] & 0xF0) != 0xF0
    )


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    lowered = body.lstrip().lower()
    if lowered.startswith((b"#!", b"<", b"mz")):
        return False
    if any(tag in lowered for tag in _MARKUP):
        return False
    # Control characters other than tab, newlines and form feed mean a binary file.
    return not any(b < 0x20 and b not in (9, 10, 12, 13) for b in body)


def sniff(head: bytes) -> Sniffed:
    """The type of a file from its first bytes; Unacceptable when it is not on the allow-list."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "image")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("image/gif", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio/wav", "audio")
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        return Sniffed("application/zip", "zip")
    if head.startswith(b"OggS"):
        return Sniffed("audio/ogg", "audio")
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return Sniffed("audio/amr", "audio")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_AUDIO:
            return Sniffed("audio/mp4", "audio")
        if brand in _3GP:
            return Sniffed("video/3gpp", "video")
        if brand in _MP4_VIDEO:
            return Sniffed("video/mp4", "video")
        if brand == b"qt  ":  # phones (iPhone) record QuickTime: the same ISO box structure as MP4
            return Sniffed("video/quicktime", "video")
        raise type_refused()
    if _is_mp3(head):
        return Sniffed("audio/mpeg", "audio")
    if _is_text(head):
        return Sniffed("text/plain", "text")
    raise type_refused()


# --- Office containers --------------------------------------------------------------------------------

OOXML = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/amr": "amr",
    "video/mp4": "mp4",
    "video/3gpp": "3gp",
    "video/quicktime": "mov",
    OOXML["word/document.xml"]: "docx",
    OOXML["xl/workbook.xml"]: "xlsx",
    OOXML["ppt/presentation.xml"]: "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def classify_zip(src: BinaryIO) -> str:
    """The Office type of a ZIP container; Unacceptable for any other archive, for macros and for
    encrypted or oversized containers."""
    src.seek(0)
    try:
        with zipfile.ZipFile(src) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
                raise damaged()
            if any(i.flag_bits & 0x1 for i in infos):
                raise type_refused()
            lowered = {n.lower() for n in names}
            if "[Content_Types].xml" in names:
                types = (
                    zf.read("[Content_Types].xml")
                    if zf.getinfo("[Content_Types].xml").file_size < 1_000_000
                    else b""
                )
                if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroenabled" in types.lower():
                    raise type_refused()
                for part, mime in OOXML.items():
                    if part in names:
                        return mime
            elif "mimetype" in names and zf.getinfo("mimetype").file_size < 200:
                odf = zf.read("mimetype").strip()
                if odf in ODF and not any(n.startswith(("basic/", "scripts/")) for n in lowered):
                    return odf.decode()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        raise damaged() from None
    raise type_refused()


_BLANK_OOXML = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<cp:coreProperties "
        b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>'
    ),
}
_BLANK_ODF = {
    "meta.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'office:version="1.2"><office:meta/></office:document-meta>'
    ),
}


# Inside the document's own parts, who wrote and when: comment and tracked-change authors, their
# initials and dates, the people list's accounts ("S::budi@pemda.go.id"), the folder a workbook was
# saved in ("C:\\Users\\budi\\..."), an ODF annotation's creator and date. Values are emptied (dates
# set to one fixed moment), so every part stays valid where it is referenced.
_PERSON_ATTR_RE = re.compile(rb'(\s[A-Za-z0-9]{1,8}:(?:author|initials|userId|providerId)=)(["\'])[^"\']*\2')
_DATE_ATTR_RE = re.compile(rb'(\s[A-Za-z0-9]{1,8}:(?:date|dateUtc)=)(["\'])[^"\']*\2')
_ABS_PATH_RE = re.compile(rb'(<[A-Za-z0-9]{1,8}:absPath\b[^>]*?\surl=)(["\'])[^"\']*\2')
_ODF_PERSON_RE = re.compile(rb"(<dc:creator>)[^<]*(</dc:creator>)")
_ODF_DATE_RE = re.compile(rb"(<dc:date>)[^<]*(</dc:date>)")
_FIXED_DATE = b"1980-01-01T00:00:00Z"
_MAX_XML_PART = 64 * 1024 * 1024  # a part read whole to be cleaned; a larger one is refused
# Pictures inside the document (Word, Excel and PowerPoint media, ODF Pictures/): cleaned as photos.
_EMBEDDED_IMAGE_RE = re.compile(r"(?:^|/)(?:media|Pictures)/[^/]+\.(jpe?g|png|gif|webp)$", re.IGNORECASE)
_IMAGE_MIME = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
               "webp": "image/webp"}
_OOXML_CORE_BLANK = "docProps/core.xml"  # also the blank for a .NET package's .psmdcp properties part


def _clean_xml_part(data: bytes) -> bytes:
    data = _PERSON_ATTR_RE.sub(rb"\1\2\2", data)
    data = _DATE_ATTR_RE.sub(rb"\g<1>\g<2>" + _FIXED_DATE + rb"\g<2>", data)
    data = _ABS_PATH_RE.sub(rb"\1\2\2", data)
    data = _ODF_PERSON_RE.sub(rb"\1\2", data)
    return _ODF_DATE_RE.sub(rb"\g<1>1980-01-01T00:00:00\2", data)


def _clean_embedded_image(data: bytes, ext: str) -> bytes:
    """A picture inside a document, cleaned as a photo is (one that cannot be read refuses the
    document: its hidden data could not be removed)."""
    cleaned = io.BytesIO()
    sanitize_image(io.BytesIO(data), cleaned, _IMAGE_MIME[ext.lower()])
    return cleaned.getvalue()


def sanitize_office(src: BinaryIO, out: BinaryIO) -> None:
    """Rewrites the container with the document properties (author, company, dates, custom
    fields) blanked, the people and dates inside its parts emptied (comments, tracked changes, the
    people list, a workbook's saved-in folder, ODF annotations), the pictures inside it cleaned as
    photos are, and entry timestamps reset; every other part is copied unchanged."""
    src.seek(0)
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
            blanks = _BLANK_ODF if "mimetype" in zin.namelist() else _BLANK_OOXML
            for info in zin.infolist():
                clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                clean.compress_type = (
                    zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                )
                clean.external_attr = 0o644 << 16
                name = info.filename
                if name in blanks:
                    zout.writestr(clean, blanks[name])
                    continue
                if name.lower().endswith(".psmdcp"):  # a .NET-made package's document properties
                    zout.writestr(clean, _BLANK_OOXML[_OOXML_CORE_BLANK])
                    continue
                image = _EMBEDDED_IMAGE_RE.search(name)
                if image or name.lower().endswith((".xml", ".rels")):
                    if info.file_size > _MAX_XML_PART:
                        raise damaged()
                    data = zin.read(info)
                    zout.writestr(clean, _clean_embedded_image(data, image.group(1)) if image
                                  else _clean_xml_part(data))
                    continue
                with zin.open(info) as part, zout.open(clean, "w", force_zip64=info.file_size > 2**31) as dst:
                    shutil.copyfileobj(part, dst, 1024 * 1024)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        raise damaged() from None


# --- Images ----------------------------------------------------------------------------------------------


def sanitize_image(src: BinaryIO, out: BinaryIO, mime: str) -> None:
    """Decodes the pixels and encodes a new image: EXIF (GPS, camera, dates), XMP, IPTC, ICC and
    comments are gone. The EXIF orientation is applied first, so the picture stays upright."""
    from PIL import Image, ImageOps, ImageSequence

    fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}[mime]
    src.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(src, formats=[fmt]) as im:
                if im.width * im.height > MAX_IMAGE_PIXELS:
                    raise damaged()
                if fmt == "GIF" and getattr(im, "n_frames", 1) > 1:
                    frames, durations = [], []
                    for frame in ImageSequence.Iterator(im):
                        rgba = frame.convert("RGBA")
                        frames.append(Image.frombytes("RGBA", rgba.size, rgba.tobytes()))
                        durations.append(int(frame.info.get("duration", 100)))
                    frames[0].save(
                        out,
                        "GIF",
                        save_all=True,
                        append_images=frames[1:],
                        duration=durations,
                        loop=0,
                        disposal=2,
                    )
                    return
                upright = ImageOps.exif_transpose(im) or im
                if upright.mode not in {"1", "L", "RGB", "RGBA", "CMYK"} or (
                    fmt == "JPEG" and upright.mode not in {"L", "RGB", "CMYK"}
                ):
                    upright = upright.convert("RGBA" if fmt != "JPEG" else "RGB")
                if fmt == "JPEG" and upright.mode == "CMYK":
                    upright = upright.convert("RGB")
                # A new image from raw pixels carries no info, EXIF, XMP, ICC or comment of the original.
                clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
                options: dict[str, object] = {
                    "JPEG": {"quality": 92},
                    "WEBP": {"quality": 90},
                    "PNG": {},
                    "GIF": {},
                }[fmt]  # type: ignore[assignment]
                clean.save(out, fmt, **options)
    except Unacceptable:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        EOFError,
        struct.error,
    ):
        raise damaged() from None


# --- PDF -------------------------------------------------------------------------------------------------


def sanitize_pdf(src: BinaryIO, out: BinaryIO) -> None:
    """Removes the document information dictionary and every XMP metadata stream, and the
    document's own scripts and automatic actions; the pages are kept as they are."""
    import pikepdf

    src.seek(0)
    try:
        with pikepdf.open(src) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            root = pdf.Root
            for key in ("/OpenAction", "/AA"):
                if key in root:
                    del root[key]
            if "/Names" in root and "/JavaScript" in root.Names:
                del root.Names["/JavaScript"]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    for key in ("/Metadata", "/PieceInfo"):
                        if key in obj:
                            del obj[key]
            pdf.save(out, encryption=False, fix_metadata_version=False, deterministic_id=True)
    except pikepdf.PasswordError:
        raise Unacceptable(
            _(
                "This PDF is protected by a password: remove the password, or keep the original "
                "file unchanged."
            )
        ) from None
    except (pikepdf.PdfError, OSError, ValueError):
        raise damaged() from None


# --- Audio and video -------------------------------------------------------------------------------------

_BOX = struct.Struct(">I4s")
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf"}
_METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_"}


def _blank_box(f: BinaryIO, start: int, header: int, size: int) -> None:
    f.seek(start + 4)
    f.write(b"free")
    f.seek(start + header)
    left = size - header
    zeros = b"\x00" * 65536
    while left > 0:
        n = min(left, len(zeros))
        f.write(zeros[:n])
        left -= n


def _walk_boxes(f: BinaryIO, start: int, end: int, depth: int) -> None:
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        size, kind = _BOX.unpack(f.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", f.read(8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise damaged()
        if kind in _METADATA_BOXES:
            _blank_box(f, pos, header, size)
        elif kind in _CONTAINERS and depth < 12:
            _walk_boxes(f, pos + header, pos + size, depth + 1)
        pos += size


def sanitize_isobmff(src: BinaryIO, out: BinaryIO) -> None:
    """MP4, M4A, 3GP and QuickTime: every user-data, metadata and XMP box (location, device, dates
    typed by the camera) is turned into a `free` box of the same size filled with zeros, so that
    the offsets of the media data stay valid."""
    src.seek(0)
    shutil.copyfileobj(src, out, 1024 * 1024)
    out.flush()
    end = out.seek(0, 2)
    _walk_boxes(out, 0, end, 0)
    out.seek(0)


def _syncsafe(b: bytes) -> int:
    return (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3]


def sanitize_mp3(src: BinaryIO, out: BinaryIO) -> None:
    """Drops the ID3v2 tag at the start and the ID3v1 tag at the end (titles, names, pictures)."""
    src.seek(0, 2)
    end = src.tell()
    src.seek(0)
    start = 0
    while True:  # several ID3v2 tags may follow each other
        head = src.read(10)
        if len(head) == 10 and head.startswith(b"ID3"):
            start += 10 + _syncsafe(head[6:10]) + (10 if head[5] & 0x10 else 0)
            src.seek(start)
        else:
            break
    if end >= 128:
        src.seek(end - 128)
        if src.read(3) == b"TAG":
            end -= 128
    src.seek(start)
    left = max(0, end - start)
    while left > 0:
        chunk = src.read(min(left, 1024 * 1024))
        if not chunk:
            break
        out.write(chunk)
        left -= len(chunk)


def sanitizer_for(mime: str) -> Callable[[BinaryIO, BinaryIO], None] | None:
    """The function that removes metadata from this type, or None when SIGAP has none for it (the
    evidence then records that its metadata was not removed)."""
    if mime.startswith("image/"):
        return lambda src, out: sanitize_image(src, out, mime)
    if mime == "application/pdf":
        return sanitize_pdf
    if mime in OOXML.values() or mime.encode() in ODF:
        return sanitize_office
    if mime in {"video/mp4", "video/3gpp", "video/quicktime", "audio/mp4"}:
        return sanitize_isobmff
    if mime == "audio/mpeg":
        return sanitize_mp3
    return None
