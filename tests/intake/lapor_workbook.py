"""SP4N-LAPOR! "Laporan Ringkas" exports made for the tests, in the export's layout: a few label lines,
the header line, one line per report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = [
    "Tracking ID",
    "Tanggal Laporan Masuk",
    "Waktu Laporan Masuk",
    "Klasifikasi Laporan",
    "ID Kategori",
    "Kategori",
    "Judul Laporan",
    "Isi Laporan Awal",
    "Isi Laporan Akhir",
    "Tipe Laporan (Anonim/Rahasia)",
    "Sumber Laporan",
    "Instansi Induk",
    "ID Instansi Terdisposisi",
    "Instansi Terdisposisi",
    "Status Laporan",
    "Alasan Tunda/Arsip",
    "Provinsi",
    "Kota/Kabupaten",
    "Kecamatan",
    "Kelurahan",
]


def row(tracking: str, **values: Any) -> list[Any]:
    """One report line; values by header name, made-up defaults for the rest."""
    defaults = {
        "Tracking ID": tracking,
        "Tanggal Laporan Masuk": "3 Feb 2025",
        "Waktu Laporan Masuk": "08:15:02",
        "Klasifikasi Laporan": "Pengaduan Berkadar Pengawasan",
        "Kategori": "Pungutan Liar",
        "Judul Laporan": f"Laporan uji {tracking}",
        "Isi Laporan Awal": f"Petugas loket meminta uang Rp 100.000 untuk surat keterangan ({tracking}).",
        "Isi Laporan Akhir": "Petugas loket meminta uang.",
        "Tipe Laporan (Anonim/Rahasia)": "Anonim",
        "Sumber Laporan": "Website",
        "Instansi Induk": "Pemerintah Kabupaten Uji",
        "Instansi Terdisposisi": "Dinas Uji",
        "Status Laporan": "Proses",
        "Provinsi": "Lampung",
        "Kota/Kabupaten": "Kabupaten Uji",
        "Kecamatan": "SUKAMAJU",
        "Kelurahan": "Sukamaju",
    }
    defaults.update(values)
    return [defaults.get(name) for name in HEADER]


def write_export(path: Path, rows: list[list[Any]], *, header: list[str] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Laporan Ringkas"
    for label, value in (
        ("Judul Laporan", "Laporan Ringkas"),
        ("Nama Instansi", "Pemerintah Kabupaten Uji"),
        ("Tanggal Generate", "2026-10-01"),
        ("Periode Masuk", "(2025-01-01) - (2025-12-31)"),
        ("Pengelola", None),
    ):
        sheet.append([label, None, value])
        sheet.append([])
    sheet.append(header or HEADER)
    for line in rows:
        sheet.append(line)
    book.save(path)
    return path
