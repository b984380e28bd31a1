"""A JPEG with camera and GPS data, as a phone would upload it."""

from __future__ import annotations

import io


def jpeg_with_gps() -> bytes:
    from PIL import Image

    im = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel-X"  # Model
    exif[0x8825] = {1: "S", 2: (5.0, 25.0, 12.5), 3: "E", 4: (105.0, 15.0, 30.0)}  # GPSInfo
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif)
    return out.getvalue()


def exif_of(data: bytes) -> dict:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        exif = im.getexif()
        return {**dict(exif), **({"gps": dict(exif.get_ifd(0x8825))} if exif.get_ifd(0x8825) else {})}
