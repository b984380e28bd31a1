from __future__ import annotations

from sigap.triage.lib.completeness import ELEMENTS, QUESTIONS, assess_completeness
from sigap.triage.lib.entities import extract_entities

FULL = (
    "Pada tanggal 12 Maret 2024 Kepala Desa Sukamaju, Bapak Budi Santoso, meminta uang Rp 5 juta kepada "
    "setiap penerima bansos dengan cara memotong bantuan di balai desa. Bukti foto kuitansi terlampir."
)


def test_complete_report() -> None:
    c = assess_completeness(FULL)
    assert c.missing == ()
    assert c.present == ELEMENTS
    assert c.score == 1.0
    assert c.questions == ()


def test_vague_report_asks_questions() -> None:
    c = assess_completeness("ada korupsi, tolong diusut")
    assert "apa" in c.present
    assert {"siapa", "di_mana", "kapan", "berapa", "bukti"} <= set(c.missing)
    assert QUESTIONS["siapa"] in c.questions
    assert c.questions[c.missing.index("siapa")] == "Siapa nama dan jabatan pihak yang Anda laporkan?"
    assert 0 < c.score < 0.5


def test_negated_evidence_is_missing() -> None:
    c = assess_completeness("oknum polisi minta uang 200 ribu, tidak ada kwitansi")
    assert "bukti" in c.missing
    assert "berapa" in c.present and "siapa" in c.present


def test_fields_count_as_present() -> None:
    text = "ada korupsi"
    base = assess_completeness(text)
    c = assess_completeness(
        text,
        fields={
            "who": "Kepala Dinas",
            "where": "35.78",
            "when": "2024-03",
            "amount": 5_000_000,
            "evidence_count": 2,
        },
    )
    assert {"siapa", "di_mana", "kapan", "berapa", "bukti"} <= set(c.present)
    assert c.score > base.score


def test_entities_passed_in_are_used() -> None:
    text = "pungli di kantor"
    ent = extract_entities("Rp 5 juta")
    assert "berapa" in assess_completeness(text, ent).present


def test_empty_text() -> None:
    c = assess_completeness("")
    assert c.score == 0 and c.present == () and len(c.questions) == len(ELEMENTS)


def test_a_request_for_information_is_not_asked_for_a_culprit_a_sum_or_evidence() -> None:
    from sigap.triage.lib.completeness import APPLICABLE

    text = "Saya minta salinan dokumen kontrak pembangunan jembatan sesuai UU KIP."
    asked = assess_completeness(text, category="permintaan_informasi")
    assert set(asked.missing) <= set(APPLICABLE["permintaan_informasi"])
    assert not {"siapa", "berapa", "bukti", "bagaimana"} & set(asked.missing)
    every = assess_completeness(text)  # without a category: every element
    assert {"siapa", "berapa"} <= set(every.missing) and every.score < asked.score


def test_an_offence_is_asked_for_every_element_it_lacks() -> None:
    found = assess_completeness("kades menggelapkan dana desa", category="penggelapan_jabatan")
    assert {"kapan", "berapa", "bukti"} <= set(found.missing)
    assert found.score == assess_completeness("kades menggelapkan dana desa").score
