from __future__ import annotations

import pytest

from sigap.triage.lib.entities import Entities, extract_entities
from sigap.triage.lib.jurisdiction import (
    BELOW_THRESHOLD,
    LAW_ENFORCER,
    LOSS_AT_THRESHOLD,
    NO_AMOUNT,
    SAID_BELOW_THRESHOLD,
    STATE_OFFICIAL,
    Jurisdiction,
    Reason,
    assess_jurisdiction,
)
from sigap.triage.lib.pipeline import triage_text


def _assess(text: str) -> Jurisdiction:
    return assess_jurisdiction(extract_entities(text), text)


def _codes(j: Jurisdiction) -> set[str]:
    return {r.code for r in j.reasons}


def _positions(j: Jurisdiction) -> set[str]:
    return {p for r in j.reasons for p in r.positions}


def test_kepala_dinas_two_miliar_is_kpk() -> None:
    j = _assess("Kepala Dinas PUPR diduga mark up proyek jembatan dengan kerugian negara Rp 2 miliar")
    assert j.kpk_competent and j.competent_body == "kpk"
    assert j.max_amount == 2_000_000_000
    assert Reason(LOSS_AT_THRESHOLD, amount=2_000_000_000) in j.reasons


def test_kepala_desa_fifty_juta_goes_to_apip() -> None:
    j = _assess("pak kades menyelewengkan dana desa 50 jt")
    assert not j.kpk_competent
    assert j.competent_body in ("apip", "kejaksaan")
    assert BELOW_THRESHOLD in _codes(j)
    assert "kepala_desa" in _positions(j)


def test_police_pungli_small_amount_is_kpk_competent() -> None:
    j = _assess("oknum polisi pungli Rp 200 ribu saat razia")
    assert j.kpk_competent and j.competent_body == "kpk"
    assert Reason(LAW_ENFORCER, positions=("polisi",)) in j.reasons


def test_bupati_bribery_is_penyelenggara_negara() -> None:
    j = _assess("Bupati menerima suap Rp 100 juta dari kontraktor")
    assert j.kpk_competent
    assert Reason(STATE_OFFICIAL, positions=("bupati",)) in j.reasons


def test_big_loss_without_official() -> None:
    j = _assess("ada penggelapan anggaran Rp 3 miliar oleh pengurus")
    assert j.kpk_competent


def test_private_small_fraud_goes_to_police_or_prosecutor() -> None:
    assert _assess("ada penipuan dan penggelapan uang arisan Rp 10 juta").competent_body == "kepolisian"
    assert _assess("ada penggelapan dana bansos Rp 10 juta").competent_body == "kejaksaan"


def test_maladministration_and_service_complaints() -> None:
    assert _assess("pengurusan KTP di kelurahan dipersulit dan berlarut").competent_body == "ombudsman"
    j = _assess("Pak Wali Kota, lampu jalan mati sudah seminggu")
    assert j.competent_body == "instansi" and not j.kpk_competent


def test_empty() -> None:
    j = assess_jurisdiction(Entities(), "")
    assert not j.kpk_competent and j.max_amount == 0 and j.reasons


def test_no_amount_is_not_said_to_be_below_the_threshold() -> None:
    j = _assess("Kepala desa menyelewengkan dana desa untuk kepentingan pribadi")
    assert not j.kpk_competent and j.max_amount == 0
    assert NO_AMOUNT in _codes(j) and BELOW_THRESHOLD not in _codes(j)


def test_an_amount_read_below_the_threshold_is_said_so_with_the_amount() -> None:
    j = _assess("pak kades menyelewengkan dana desa 50 jt")
    assert Reason(BELOW_THRESHOLD, amount=50_000_000) in j.reasons
    assert NO_AMOUNT not in _codes(j)


def test_english_amounts_count_for_the_threshold() -> None:
    j = _assess("The village head embezzled the village fund, a loss of IDR 1.5 billion (korupsi dana desa)")
    assert j.kpk_competent and j.max_amount == 1_500_000_000
    assert LOSS_AT_THRESHOLD in _codes(j)


LETTER_TO_THE_GOVERNOR = (
    "Kepada Yth. Bapak Gubernur Lampung, di Bandar Lampung.\n"
    "Dengan hormat, saya warga Desa Sukamaju. BLT Dana Desa saya sebesar Rp 900.000 belum dibayarkan dan "
    "diduga dipotong oleh perangkat desa. Mohon ditindaklanjuti."
)


def test_the_addressee_is_not_the_accused() -> None:
    j = _assess(LETTER_TO_THE_GOVERNOR)
    assert not j.kpk_competent and j.competent_body != "kpk"
    assert "gubernur" not in _positions(j)
    assert "perangkat_desa" in _positions(j)  # the one reported


def test_those_a_letter_is_copied_to_are_not_the_accused() -> None:
    letter = (
        "Kepada Yth. Inspektur Kabupaten Lampung Selatan\n\nDengan hormat, BLT Dana Desa saya sebesar "
        "Rp 900.000 dipotong oleh perangkat desa.\n\nTembusan:\n1. Gubernur Lampung\n2. Bupati Lampung "
        "Selatan\n3. Ketua DPRD"
    )
    j = _assess(letter)
    assert not j.kpk_competent and not {"gubernur", "bupati"} & _positions(j)
    assert "perangkat_desa" in _positions(j)


@pytest.mark.parametrize(
    "text",
    [
        "Gubernur X menerima suap Rp 100 juta dari kontraktor",
        "Kepada Yth. Bapak Presiden, Gubernur Lampung menerima suap Rp 100 juta dari kontraktor",
        "Yth. Bapak Kapolda, saya melaporkan Bupati Lampung Selatan yang menerima suap dari kontraktor",
        "yth bapak kapolda bupati menerima suap dari kontraktor",  # no mark: the second position is reported
    ],
)
def test_an_official_reported_still_counts(text: str) -> None:
    j = _assess(text)
    assert j.kpk_competent
    assert STATE_OFFICIAL in _codes(j)
    assert LAW_ENFORCER not in _codes(j)  # the police chief is only addressed


def test_every_reason_code_is_known_and_stored_without_empty_fields() -> None:
    from sigap.triage.lib.jurisdiction import REASON_CODES

    for text in ("Kepala desa Sukamaju menggelapkan dana BLT Rp 50 juta.", "lampu jalan mati", "",
                 "oknum polisi pungli Rp 2 miliar", "pengurusan KTP dipersulit"):
        for r in _assess(text).reasons:
            assert r.code in REASON_CODES
            stored = r.to_dict()
            assert stored["code"] == r.code and all(stored.values())


@pytest.mark.parametrize(
    ("text", "body", "code"),
    [
        ("A police officer extorted truck drivers at the checkpoint", "kpk", LAW_ENFORCER),
        ("The tender was rigged: the winner is the regent's family company", "kpk", STATE_OFFICIAL),
        ("The head of the department of education embezzled the school operational funds", "apip",
         "government_staff"),
    ],
)
def test_a_report_written_in_english_is_read_too(text: str, body: str, code: str) -> None:
    j = _assess(text)
    assert j.competent_body == body and code in _codes(j)


@pytest.mark.parametrize(
    "text",
    [
        "Petugas parkir di Jalan Tambak Mayor minta uang Rp 5.000 tanpa karcis, ini pungli.",
        "Oknum Mayor TNI minta setoran dari pedagang pasar.",
        "Saya sudah di-judge petugas kelurahan, lalu dimintai uang pelicin.",
    ],
)
def test_english_titles_are_not_read_in_indonesian_words(text: str) -> None:
    j = _assess(text)
    assert not {"wali_kota", "hakim"} & _positions(j) and not j.kpk_competent


def test_a_corrupt_file_is_no_offence() -> None:
    j = _assess("Aplikasi pendaftaran error, file PDF yang saya upload corrupt dan tidak bisa dibuka, pelayanan lambat.")
    assert j.competent_body == "ombudsman"


def test_a_sum_said_to_stay_under_the_threshold_is_below_it() -> None:
    for text in ("kades korupsi dana desa kurang dari 1 M", "kades korupsi dana desa hampir Rp 1 miliar"):
        j = _assess(text)
        assert not j.kpk_competent, text
        assert Reason(SAID_BELOW_THRESHOLD, amount=1_000_000_000) in j.reasons
    assert _assess("kades korupsi dana desa lebih dari 1 M").kpk_competent


def test_a_phone_number_before_a_sum_is_no_loss() -> None:
    j = _assess("Pak kades minta uang 5jt ke saya, WA saya 081234567890 Rp 5jt itu")
    assert not j.kpk_competent and j.max_amount == 5_000_000


def test_the_classifications_offence_counts_when_no_offence_word_is_there() -> None:
    text = "Kontraktor kasih amplop 50 jt ke PPK supaya dimenangkan dalam lelang"
    assert not assess_jurisdiction(extract_entities(text), text).kpk_competent  # words alone: no offence
    j = assess_jurisdiction(extract_entities(text), text, category="suap")
    assert j.kpk_competent and Reason(STATE_OFFICIAL, positions=("ppk",)) in j.reasons
    assert triage_text(text).jurisdiction.kpk_competent  # the pipeline passes the category on


def test_a_law_enforcer_demanding_a_sum_is_for_the_commission() -> None:
    j = _assess("oknum polisi minta 500rb pas razia")
    assert j.kpk_competent and Reason(LAW_ENFORCER, positions=("polisi",)) in j.reasons


def test_almost_all_of_a_sum_is_not_a_bound_on_it() -> None:
    assert _assess("Kades korupsi hampir semua dana desa Rp 1,2 miliar").kpk_competent
    assert _assess("Kepala dinas korupsi hampir seluruh anggaran proyek Rp 5 miliar").kpk_competent
