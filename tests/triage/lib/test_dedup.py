from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sigap.triage.lib import minhash
from sigap.triage.lib.dedup import (
    DEFAULT_THRESHOLD,
    LINK_MARGIN,
    GroupStats,
    compare,
    dedup_jsonl,
    entity_keys,
    features,
    group_corpus,
    word_similarity,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from bench.perturb import KINDS, perturb  # noqa: E402

POTHOLE = (
    "Jalan di Jl. Kenari No. 21 Kelurahan Ketintang rusak parah dan berlubang besar. Sudah dua bulan "
    "tidak diperbaiki padahal setiap hari dilalui anak sekolah. Kemarin malam ada pengendara motor yang "
    "jatuh karena lubang tertutup genangan air. Mohon dinas pekerjaan umum segera menambal jalan tersebut."
)
LEVY = (
    "Saya ingin melaporkan pungutan liar di kantor kelurahan. Untuk mengurus surat keterangan domisili "
    "warga diminta membayar Rp 150.000 oleh petugas loket tanpa kuitansi. Kalau tidak membayar, berkas "
    "tidak diproses dan kami disuruh datang lagi minggu depan."
)
SCHOOL = (
    "Anak saya bernama {child} tidak diterima di SD negeri terdekat padahal rumah kami di Jl. {street} "
    "No. {no} RT {rt} RW {rw} hanya berjarak 300 meter dari sekolah. Sistem zonasi penerimaan peserta "
    "didik baru tidak adil karena anak dari luar zona justru diterima. Mohon dinas pendidikan meninjau "
    "ulang hasil seleksi tahun ini. NIK saya {nik}."
)
AID = (
    "Saya {name} dengan NIK {nik} warga Kelurahan Wonokromo. Bantuan sosial tunai untuk keluarga saya "
    "belum cair sejak tiga bulan lalu padahal kami sudah terdaftar di data terpadu kesejahteraan sosial. "
    "Mohon petugas segera memeriksa dan menyalurkan bantuan tersebut. Nomor rekening saya {rek}."
)


def f(id_: str, text: str):
    return features(id_, text, region_hint="35.78")


def test_identical_texts_are_duplicates_with_evidence() -> None:
    m = compare(f("a", POTHOLE), f("b", POTHOLE))
    assert m.is_duplicate and m.score == 1.0
    assert m.passages and len(m.passages[0].split()) > 20
    assert m.shared.get("address")


def test_unrelated_texts_are_not_duplicates() -> None:
    m = compare(f("a", POTHOLE), f("b", LEVY))
    assert not m.is_duplicate and m.score < 0.3


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_perturbation_kind_is_found(kind: str) -> None:
    rng = random.Random(11)
    for text in (POTHOLE, LEVY):
        copy = perturb(text, rng, kinds=[kind])
        assert compare(f("a", text), f("b", copy)).is_duplicate, kind


def test_mixed_perturbations_are_found() -> None:
    rng = random.Random(5)
    found = sum(compare(f("a", POTHOLE), f("b", perturb(POTHOLE, rng))).is_duplicate for _ in range(30))
    assert found >= 29


NOISE = (
    "Setiap malam minggu ada kafe di ujung kampung kami yang memutar musik keras sampai jam tiga pagi. "
    "Warga sudah berkali kali menegur pemiliknya tetapi tidak pernah digubris, malah kami ditantang. "
    "Anak anak tidak bisa tidur dan orang tua yang sakit terganggu. Mohon petugas ketertiban segera "
    "menertibkan kafe tersebut dan memeriksa izin usahanya."
)


def test_a_copy_retyped_in_a_hurry_is_found() -> None:
    """Three to six kinds of edits at twice the usual rates, on a text with no address, name or sum
    to anchor it: one typo breaks five shingles and a moved word two boundaries, but the words stay."""
    rng = random.Random(3)
    copies = [perturb(NOISE, rng, min_kinds=3, max_kinds=6, strength=2.0) for _ in range(40)]
    found = sum(compare(f("a", NOISE), f("b", copy)).is_duplicate for copy in copies)
    assert found == 40  # by shingles alone: 32


def test_word_similarity_counts_a_word_with_one_typo_as_shared() -> None:
    base = "pengendara motor jatuh karena lubang tertutup genangan air"
    typo = "pengedara motor jatuh karena lubnag tertutup genangan air"  # a letter dropped, two swapped
    assert word_similarity(f("a", base), f("b", typo)) == 1.0
    changed = "pengendara motor jatuh karena lubang tertutap genangan air"  # a letter changed
    assert word_similarity(f("a", base), f("b", changed)) == 1.0
    short = "pengendara motr jatuh karena lubang tertutup genangan air"  # "motor" has five letters
    assert word_similarity(f("a", base), f("b", short)) == 1.0
    four = "pengendara motor jatuh karena lubang tertutup genangan api"  # "air"/"api": too short to tell
    assert word_similarity(f("a", base), f("b", four)) == pytest.approx(7 / 9)
    far = "pengendara mobil jatuh karena lubang tertutup genangan air"  # another word, not a typo
    assert word_similarity(f("a", base), f("b", far)) == pytest.approx(7 / 9)
    # texts that share few words exactly are not made alike by words one letter apart
    other = "pengedara motir jatoh krena lubnag tertutop genangn aer"
    assert word_similarity(f("a", base), f("b", other)) < 0.3


def test_typo_matching_is_bounded_on_long_lists() -> None:
    """Two lists of thousands of names are compared word for word only (the typo table would hold
    millions of pairs); a short retyped text still gets its typos matched."""
    rng = random.Random(1)
    names = ["".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(7)) for _ in range(1200)]
    a = " ".join(names)
    b = " ".join(n[:-1] + "z" if i % 2 else n for i, n in enumerate(names))  # every other one a typo
    assert word_similarity(f("a", a), f("b", b)) == pytest.approx(600 / 1800, abs=0.01)
    assert word_similarity(f("a", " ".join(names[:40])), f("b", " ".join(b.split()[:40]))) == 1.0


def test_a_template_retyped_with_typos_still_tells_its_citizens_apart() -> None:
    a = AID.format(name="Budi Santoso", nik="3578011203800001", rek="1234567890")
    b = perturb(AID.format(name="Siti Aminah", nik="3578014506850002", rek="9876543210"), random.Random(2),
                kinds=["typo", "swap"], strength=2.0)
    m = compare(f("a", a), f("b", b))
    assert m.text_similarity > 0.6 and not m.is_duplicate


def test_whatsapp_style_rewrite() -> None:
    chat = (
        "min tolonggg jl kenari no 21 ketintang rusak parah n berlubang besar, udh 2 bln g diperbaiki pdhl "
        "tiap hari dilalui anak sekolah. kmrn mlm ada pengendara motor yg jatuh krn lubang ketutup genangan "
        "air. mhn dinas pekerjaan umum segera nambal jalan tsb kak"
    )
    assert compare(f("a", POTHOLE), f("b", chat)).is_duplicate


def _school(child: str, street: str, no: str, rt: str, rw: str, nik: str) -> str:
    return SCHOOL.format(child=child, street=street, no=no, rt=rt, rw=rw, nik=nik)


def test_template_with_different_identities_is_not_duplicate() -> None:
    a = f("a", _school("Rina", "Melati", "7", "02", "05", "3578014407900002"))
    b = f("b", _school("Dimas", "Kenanga", "15", "04", "01", "3578011203850001"))
    m = compare(a, b)
    assert m.text_similarity > 0.6
    assert not m.is_duplicate
    assert {"id_nik", "address", "rt_rw"} & set(m.conflicts)


@pytest.mark.parametrize(
    ("name_b", "nik_b", "rek_b"),
    [
        ("Siti Aminah", "3578014407900002", "1234567890"),  # everything differs
        ("Siti Aminah", "[NIK]", "[NOMOR]"),  # only the name differs (the rest masked)
        ("Budi Santoso", "3578014407900002", "[NOMOR]"),  # only the NIK differs
        ("[NAMA]", "[NIK]", "9876543210"),  # only the account number differs
    ],
)
def test_template_trap_each_identifier_alone(name_b: str, nik_b: str, rek_b: str) -> None:
    a = f("a", AID.format(name="Budi Santoso", nik="3578011203850001", rek="1234567890"))
    if rek_b == "1234567890" and name_b != "Budi Santoso" and nik_b.isdigit():
        rek_b = "5555666677"
    b = f("b", AID.format(name=name_b, nik=nik_b, rek=rek_b))
    assert not compare(a, b).is_duplicate


def test_masked_identifiers_are_unknown_not_conflicting() -> None:
    a = f("a", AID.format(name="[NAMA]", nik="[NIK]", rek="[NOMOR]"))
    b = f("b", AID.format(name="[NAMA]", nik="[NIK]", rek="[NOMOR]") + " Hubungi [TELEPON] atau [EMAIL].")
    m = compare(a, b)
    assert m.is_duplicate and not m.conflicts


def test_same_person_resending_is_duplicate() -> None:
    text = AID.format(name="Budi Santoso", nik="3578011203850001", rek="1234567890")
    resend = text.replace("tiga bulan", "empat bulan") + " Sampai sekarang belum ada tanggapan."
    assert compare(f("a", text), f("b", resend)).is_duplicate


CAMPAIGN = [
    POTHOLE,
    "Tolong min, jalan rusak di jl kenari nomor 21 ketintang makin parah. Lubangnya dalam dan sudah ada "
    "korban jatuh dari motor. Kapan jalan berlubang ini ditambal?",
    "Kami warga sekitar Jalan Kenari no.21 mengeluhkan jalan berlubang yang belum juga diperbaiki oleh "
    "pemerintah kota. Kalau hujan lubang tidak kelihatan dan sangat membahayakan.",
]


def test_campaign_same_road_same_address_is_duplicate() -> None:
    feats = [f(str(i), t) for i, t in enumerate(CAMPAIGN)]
    for i in range(len(feats)):
        for j in range(i + 1, len(feats)):
            m = compare(feats[i], feats[j])
            assert m.is_duplicate, (i, j, m.reasons)
            assert "address" in m.shared
    groups = group_corpus(feats)
    assert [sorted(g.ids) for g in groups] == [["0", "1", "2"]]


def test_campaign_same_website_is_duplicate() -> None:
    a = f("a", "Website resmi dinas kependudukan https://dispenduk.contohkota.go.id/layanan telah diretas "
               "dan sekarang menampilkan iklan judi online. Mohon segera diamankan.")
    b = f("b", "halo admin, situs dispenduk.contohkota.go.id kok isinya iklan slot ya? sepertinya kena hack, "
               "tolong dibenahi kak")
    m = compare(a, b)
    assert m.is_duplicate and "link" in m.shared
    assert set(entity_keys(a)) & set(entity_keys(b))


def test_same_road_different_house_numbers_not_merged_by_address() -> None:
    a = f("a", POTHOLE)
    b = f("b", POTHOLE.replace("No. 21", "No. 140"))
    assert not compare(a, b).is_duplicate


def test_no_chaining() -> None:
    # B tells two matters (the levy, and briefly the pothole at the same address as A):
    # A~B through the shared address, B~C through the text; A and C share nothing.
    b_text = LEVY + " Selain itu jalan di Jl. Kenari No. 21 juga rusak parah dan berlubang besar."
    a, b, c = f("A", POTHOLE), f("B", b_text), f("C", LEVY)
    assert compare(a, b).is_duplicate and compare(b, c).is_duplicate
    assert not compare(a, c).is_duplicate
    groups = group_corpus([a, b, c])
    assert all(not {"A", "C"} <= set(g.ids) for g in groups)
    assert len(groups) == 1 and len(groups[0].ids) == 2


@pytest.mark.parametrize("seed", range(8))
def test_every_group_member_is_close_to_every_other(seed: int) -> None:
    # Successive edits drift: each text is a duplicate of the one before it, the first and the last
    # may be far apart.  A group holds only members that are (nearly) duplicates of each other.
    rng = random.Random(seed)
    texts = [POTHOLE]
    for _ in range(7):
        texts.append(perturb(texts[-1], rng))
    items = [f(f"d{i}", t) for i, t in enumerate(texts)]
    by_id = {x.id: x for x in items}
    groups = group_corpus(items)
    assert groups
    for g in groups:
        for pos, a in enumerate(g.ids):
            for b in g.ids[pos + 1 :]:
                assert compare(by_id[a], by_id[b]).score >= DEFAULT_THRESHOLD - LINK_MARGIN


def test_group_corpus_mixture() -> None:
    rng = random.Random(8)
    items = [f("p0", POTHOLE), f("p1", perturb(POTHOLE, rng)), f("p2", perturb(POTHOLE, rng)),
             f("l0", LEVY), f("l1", LEVY), f("l2", perturb(LEVY, rng)),
             f("s1", _school("Rina", "Melati", "7", "02", "05", "3578014407900002")),
             f("s2", _school("Dimas", "Kenanga", "15", "04", "01", "3578011203850001"))]
    stats = GroupStats()
    groups = group_corpus(items, stats=stats)
    as_sets = sorted(sorted(g.ids) for g in groups)
    assert as_sets == [["l0", "l1", "l2"], ["p0", "p1", "p2"]]
    assert stats.reports == 8 and stats.units == 7
    for g in groups:
        assert 0.0 <= g.score <= 1.0 and g.pairs


def test_big_bucket_is_split_not_quadratic() -> None:
    items = [f(str(i), LEVY) for i in range(5)]
    items += [f(f"x{i}", LEVY + f" Laporan ke {i}.") for i in range(30)]
    stats = GroupStats()
    groups = group_corpus(items, max_bucket=10, stats=stats)
    assert stats.split_buckets > 0
    assert any({"0", "1", "2", "3", "4"} <= set(g.ids) for g in groups)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀🙏🙏", "\x00\x01\x02\xff", "a" * 1_000_000, "tolong", "[NIK] [NAMA] [TELEPON]",
     bytes(range(256)).decode("latin-1") * 50, "\ud800 broken surrogate"],
)
def test_bad_input_never_crashes(text: str) -> None:
    bad = f("bad", text)
    assert not compare(bad, f("ok", POTHOLE)).is_duplicate
    assert not compare(bad, bad).is_duplicate or len(bad.text.split()) >= 4
    group_corpus([bad, f("bad2", text), f("ok", POTHOLE)])


def test_empty_and_short_texts_never_grouped() -> None:
    groups = group_corpus([f("1", ""), f("2", ""), f("3", "tolong min"), f("4", "tolong min")])
    assert groups == []


def test_dedup_jsonl(tmp_path: Path) -> None:
    rng = random.Random(3)
    rows = [{"id": "r1", "text": POTHOLE, "instansi": "dpu", "channel": "whatsapp"},
            {"id": "r2", "text": perturb(POTHOLE, rng), "received_at": "2024-01-02T03:04:05Z"},
            {"id": "r3", "text": LEVY, "title": "Pungli kelurahan"},
            {"id": 4, "text": None}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    stats = dedup_jsonl(src, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and sorted(lines[0]["ids"]) == ["r1", "r2"]
    assert lines[0]["pairs"][0][:2] in (["r1", "r2"], ["r2", "r1"])
    assert 0 < lines[0]["score"] <= 1
    assert stats.reports == 4


# Runs a corpus in a fresh process (one thread: the test process may run others, and then scoring
# stays in the caller's process), recording which process pools were started.
_DEDUP_IN_A_FRESH_PROCESS = """
import dataclasses, json, sys
from concurrent.futures import ProcessPoolExecutor
from sigap.triage.lib import dedup
started = []
class Recording(ProcessPoolExecutor):
    def __init__(self, *args, mp_context=None, **kwargs):
        started.append(mp_context.get_start_method() if mp_context else "default")
        super().__init__(*args, mp_context=mp_context, **kwargs)
if __name__ == "__main__":
    dedup.ProcessPoolExecutor = Recording
    dedup.PARALLEL_SCORING_FROM = 10  # this small corpus is scored in parallel too
    dedup._SCORE_CHUNK = 97
    stats = dedup.dedup_jsonl(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]))
    print(json.dumps({"started": started, "stats": dataclasses.asdict(stats)}))
"""


def test_dedup_jsonl_reads_and_scores_on_several_processes_with_the_same_result(tmp_path: Path) -> None:
    import subprocess
    import sys

    rng = random.Random(5)
    rows = []
    for i in range(300):  # more than one chunk of work per process
        base = POTHOLE.replace("No. 21", f"No. {i}") if i % 3 else LEVY.replace("Rp 150.000", f"Rp {i}.000")
        rows.append(json.dumps({"id": f"r{i}", "text": perturb(base, rng) if i % 2 else base}))
    rows.insert(17, "not json")
    rows.insert(40, json.dumps(["a list"]))
    rows.insert(90, json.dumps({"text": "no id"}))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    script = tmp_path / "run.py"
    script.write_text(_DEDUP_IN_A_FRESH_PROCESS, encoding="utf-8")
    runs = {}
    for workers, out in ((1, one), (2, two)):
        done = subprocess.run([sys.executable, str(script), str(src), str(out), str(workers)], check=True,
                              capture_output=True, text=True, cwd=Path(__file__).resolve().parents[3], timeout=300)
        runs[workers] = json.loads(done.stdout.strip().splitlines()[-1])
    assert runs[1]["started"] == []
    assert runs[2]["started"] == ["forkserver", "fork"]  # read, then score, on two processes
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert runs[1]["stats"] == runs[2]["stats"] and runs[2]["stats"]["reports"] == 300
    assert runs[2]["stats"]["scored_pairs"] > 97
    assert one.read_text(encoding="utf-8").count("\n") >= 2  # the corpus does hold groups


def test_features_store_signature_as_bytes() -> None:
    feat = f("a", POTHOLE)
    assert minhash.signature_from_bytes(minhash.signature_to_bytes(feat.signature)).tolist() == (
        feat.signature.tolist())
    assert all(0 <= k < 2**63 for k in minhash.band_keys(feat.signature) + entity_keys(feat))


_texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from([POTHOLE, LEVY, CAMPAIGN[1], CAMPAIGN[2], AID.format(name="A B", nik="[NIK]", rek="1")]),
)


@settings(max_examples=60, deadline=None)
@given(_texts, _texts)
def test_compare_symmetric_and_bounded(x: str, y: str) -> None:
    a, b = f("a", x), f("b", y)
    ab, ba = compare(a, b), compare(b, a)
    assert ab.score == ba.score and ab.is_duplicate == ba.is_duplicate
    assert 0.0 <= ab.score <= 1.0
    assert ab.is_duplicate == (ab.score >= DEFAULT_THRESHOLD and ab.is_duplicate)


# --- conflicts need evidence on both sides; entities decide templates and campaigns --------------------
# (all texts below are invented for these tests)

LAMP = (
    "Lampu PJU di Jl. Cempaka mati sejak minggu lalu sehingga gelap gulita dan rawan kejahatan. Warga "
    "sudah melapor ke ketua RT tetapi belum ada perbaikan. Mohon dinas terkait segera mengganti lampunya."
)


def test_extraction_noise_is_not_a_street_conflict() -> None:
    # The edited copy lost "Jl." before the street and gained it before another word; both texts
    # still mention both words, so they were only read differently.
    copy = LAMP.replace("Jl. Cempaka", "Cempaka").replace("dan rawan", "dan jl rawan")
    a, b = f("a", LAMP), f("b", copy)
    assert {n for n, _ in a.streets} == {"cempaka"} and {n for n, _ in b.streets} == {"rawan"}
    m = compare(a, b)
    assert m.is_duplicate and "street" not in m.conflicts


DRAINAGE = (
    "Kami warga RT 02 RW 09 Kelurahan Sukamaju meminta dibangun saluran air tertutup di Gang {gang}. "
    "Setiap hujan deras genangan setinggi lutut bertahan sampai pagi dan lumpurnya masuk ke teras. "
    "Usulan ini sudah kami sampaikan lewat musrenbang dua kali tanpa hasil."
)


def test_template_with_different_streets_is_not_duplicate() -> None:
    a, b = f("a", DRAINAGE.format(gang="Rambutan")), f("b", DRAINAGE.format(gang="Kedondong"))
    m = compare(a, b)
    assert m.text_similarity > 0.8
    assert not m.is_duplicate and "street" in m.conflicts
    assert compare(a, f("c", DRAINAGE.format(gang="Rambutan") + " Terima kasih.")).is_duplicate


def test_street_name_typo_with_swapped_letters_is_same_address() -> None:
    a = f("a", "Trotoar ambrol di depan Jl. Teratai No. 9 dekat jembatan, pejalan kaki terpaksa turun ke aspal.")
    b = f("b", "trotoar ambrol di depan jl tertaai no 9 dekat jembatan pejalan kaki terpaksa turun ke aspal")
    m = compare(a, b)
    assert m.is_duplicate and "address" in m.shared and "address" not in m.conflicts


def test_one_house_number_on_neighbouring_streets_is_not_one_address() -> None:
    # Kenanga Raya Barat No. 23 and Kenanga Raya Tengah No. 23 are two streets of one neighbourhood;
    # the shared first word and house number must not anchor two different requests together.
    a = f("a", "Mohon bantuan normalisasi saluran buntu di Jl. Kenanga Raya Tengah No. 23, air meluap ke rumah.")
    b = f("b", "Mohon perantingan pohon di jalan kenanga raya barat no 23 rumah kosong, rantingnya menimpa kabel.")
    m = compare(a, b)
    assert not m.is_duplicate
    assert "address" not in m.shared
    assert m.conflicts["address"] == ("jalan kenanga raya barat 23", "jalan kenanga raya tengah 23")
    g = f("g", "Mohon perbaikan saluran buntu di jalan Kenanga Asri no 23, air meluap ke rumah warga tiap hujan.")
    assert "address" in compare(a, g).conflicts and not compare(a, g).is_duplicate
    # A follow-up on the same street keeps its anchor, also when it leaves the qualifier out ...
    c = f("c", "Saluran di jl kenanga raya tengah nomor 23 masih buntu, sudah seminggu belum ada petugas datang.")
    d = f("d", "Saluran air buntu lagi di Jl. Kenanga No. 23, petugas belum datang, air masuk ke dapur warga.")
    assert "address" in compare(a, c).shared and "address" in compare(a, d).shared
    # ... and when both texts name both streets, they were only read differently.
    e = f("e", "Di jl kenanga raya barat no 23 pohonnya rimbun; di Jl. Kenanga Raya Tengah No. 23 saluran buntu.")
    assert "address" not in compare(b, e).conflicts


def test_house_number_read_elsewhere_is_not_a_conflict() -> None:
    # A stretch of house numbers: each text names both numbers next to the street, extraction picks
    # a different one of them.
    a = f("a", "Lapisan aspal retak dan bergelombang di Jl. Dahlia No. 12 sampai No. 14, motor sering oleng.")
    b = f("b", "lapisan aspal retak bergelombang di jl dahlia no 14 sampai no 12 motor sering oleng di situ")
    assert a.streets == {("dahlia", "12")} and b.streets == {("dahlia", "14")}
    m = compare(a, b)
    assert "address" not in m.conflicts and m.is_duplicate
    # while the same text for another house of the same street stays a distinct case
    c = f("c", "Lapisan aspal retak dan bergelombang di depan Jl. Dahlia No. 30, motor sering oleng.")
    d = f("d", "Lapisan aspal retak dan bergelombang di depan Jl. Dahlia No. 12, motor sering oleng.")
    assert not compare(c, d).is_duplicate


RESURFACE = (
    "Permohonan pelapisan ulang aspal jalan lingkungan yang retak di RW 05 Kelurahan Sukamaju, "
    "lokasi titik {p}"
)


def test_different_spot_labels_are_distinct_cases() -> None:
    a, b = f("a", RESURFACE.format(p="A")), f("b", RESURFACE.format(p="B"))
    m = compare(a, b)
    assert m.text_similarity > 0.9
    assert not m.is_duplicate and "locator_titik" in m.conflicts
    assert group_corpus([a, b, f("c", RESURFACE.format(p="C"))]) == []


def test_spot_label_lists_share_a_label() -> None:
    a = f("a", "Sejak angin kencang kemarin PJU padam di Perumahan Taman Mekar blok C, D dan F, jalan gelap.")
    b = f("b", "PJU padam di Perumahan Taman Mekar blok D sejak angin kencang kemarin, jalan jadi gelap.")
    m = compare(a, b)
    assert "locator_blok" not in m.conflicts and m.is_duplicate


STUDENT = (
    "Pengajuan beasiswa untuk anak kami karena penghasilan orang tua tidak mencukupi biaya sekolah.\n"
    "Nama Siswa : {name}\nSekolah : SD Negeri Sukamaju 3\nKelas : 4\nNISN : {nisn}\n"
    "Nama Ibu Kandung : SRI LESTARI\nAtas perhatiannya kami ucapkan terima kasih."
)


def test_labelled_identity_numbers_and_form_names_decide() -> None:
    a = f("a", STUDENT.format(name="RAKA PRATAMA", nisn="0123456789"))
    sibling = f("b", STUDENT.format(name="NADIA PUTRI", nisn="0134567890"))
    m = compare(a, sibling)
    assert m.text_similarity > 0.7
    assert not m.is_duplicate and "id_nisn" in m.conflicts
    assert "name:raka pratama" in a.personal and not any("sri lestari" in p for p in a.personal)
    resend = f("c", STUDENT.format(name="Raka Pratama", nisn="0123456789") + " Mohon segera diproses.")
    m = compare(a, resend)
    assert m.is_duplicate and "id_nisn" in m.shared
    assert set(entity_keys(a)) & set(entity_keys(resend))


def test_form_field_name_alone_separates_template_cases() -> None:
    text = ("Nama : {name}\nAlamat : [ALAMAT]\nNIK : [NIK]\nKeluhan : bantuan sosial tunai keluarga kami belum "
            "cair sejak tiga bulan lalu padahal sudah terdaftar di data terpadu. Mohon segera diperiksa.")
    a, b = f("a", text.format(name="Budi Santoso")), f("b", text.format(name="Siti Aminah"))
    assert not compare(a, b).is_duplicate
    assert compare(a, f("c", text.format(name="BUDI SANTOSO"))).is_duplicate


def test_a_lowercase_name_after_atas_nama_separates_template_cases() -> None:
    text = ("mohon dicek bantuan PKH atas nama {name} warga desa sukamaju rt 02 sudah tiga bulan belum cair "
            "padahal terdaftar di data terpadu, mohon segera diperiksa")
    a, b = f("a", text.format(name="ahmad fauzi")), f("b", text.format(name="dewi lestari"))
    assert not compare(a, b).is_duplicate
    assert compare(a, f("c", text.format(name="Ahmad Fauzi"))).is_duplicate
    assert "person" not in compare(f("d", text.format(name="warga")), f("e", text.format(name="pribadi"))).conflicts
    # a group after the cue is nobody's name: one campaign, many senders
    assert compare(f("g", text.format(name="seluruh warga")), f("h", text.format(name="semua warga"))).is_duplicate


def test_titles_and_courtesies_are_not_persons() -> None:
    a = f("a", "Yth. Pak Walikota, jembatan penyeberangan dekat pasar sudah berkarat dan anak tangganya goyang.")
    b = f("b", "Yth. Pak Walikota, taman bermain di ujung kampung penuh ilalang dan ayunannya patah.")
    assert "walikota" not in a.entities.persons  # whom the letter is written to is nobody reported
    assert "person" not in compare(a, b).shared
    # a word read as a name on one side only, and written on the other side too, is no other person
    c = f("c", LEVY + " Mohon ditindak Pak. Sekian laporan kami.")
    d = f("d", "Sekian laporan kami. " + LEVY + " Mohon ditindak Pak Budi")
    assert "sekian" in c.entities.persons and "budi" in d.entities.persons
    m = compare(c, d)
    assert "person" not in m.conflicts and m.is_duplicate


def test_platform_links_match_by_page_not_by_host() -> None:
    a = f("a", "Kabel telepon menjuntai rendah di lokasi ini https://maps.app.goo.gl/AbCdEf123 bisa tersangkut truk")
    b = f("b", "Ada bangkai kucing di tengah jalan di titik berikut https://maps.app.goo.gl/XyZ987qwe mohon dibuang")
    assert "link" not in compare(a, b).shared
    assert not set(entity_keys(a)) & set(entity_keys(b))
    c = f("c", "kabel yang menjuntai itu masih belum dinaikkan, lokasinya https://maps.app.goo.gl/AbCdEf123")
    assert "link" in compare(a, c).shared


def test_same_address_different_object_is_another_matter() -> None:
    tree = f("a", "Dahan pohon beringin di depan Jl. Seruni No. 45 sudah lapuk dan condong ke atap warung, "
                  "mohon dipangkas sebelum patah.")
    drain = f("b", "Saluran di samping Jl. Seruni No. 45 tertutup endapan pasir sehingga air hujan meluber "
                   "ke badan jalan, mohon dikeruk.")
    m = compare(tree, drain)
    assert not m.is_duplicate and "object" in m.conflicts
    again = f("c", "Pohon beringin di Jl. Seruni No. 45 belum juga dipangkas, dahannya makin condong.")
    m = compare(tree, again)
    assert m.is_duplicate and m.shared.get("address")


def test_one_object_under_its_other_names_is_one_matter_at_an_address() -> None:
    # "PJU" and "lampu jalan", "got" and "selokan" name one object each: reports about it at one
    # address are one matter, not the "other object at the same address" of the test above.
    pju = f("a", "PJU di depan Jl. Seruni No. 45 padam sejak minggu lalu, jalan gelap dan rawan begal.")
    lamp = f("b", "Sudah tiga malam lampu jalan depan jl seruni no 45 mati total, mohon segera dinyalakan lagi.")
    m = compare(pju, lamp)
    assert pju.entities.objects == lamp.entities.objects == ("pju",)
    assert m.is_duplicate and m.shared.get("object_at_place") == ("pju",) and "object" not in m.conflicts
    got = f("c", "Got di samping Jl. Seruni No. 45 mampet, air hujan meluber ke badan jalan, mohon dikeruk.")
    selokan = f("d", "selokan dekat jl seruni no 45 buntu penuh lumpur dan sampah plastik, bau sekali")
    assert "object" not in compare(got, selokan).conflicts and compare(got, selokan).is_duplicate
    assert "object" in compare(got, pju).conflicts


def test_a_specific_sum_is_a_blocking_key_and_an_anchor_but_a_round_tariff_is_not() -> None:
    a = features(
        "a",
        "Dana desa untuk pembangunan embung senilai Rp 1.831.160.000 diduga dikorupsi oleh perangkat desa, "
        "pekerjaan tidak pernah dimulai sampai sekarang.",
    )
    b = features(
        "b",
        "min mau lapor, anggaran embung 1.831.160.000 di desa kami ga jelas kemana, proyeknya mangkrak "
        "dan warga tidak pernah lihat ada pekerja.",
    )
    assert set(entity_keys(a)) & set(entity_keys(b))
    match = compare(a, b)
    assert "exact_sum" in match.shared
    tariff_a = features("c", "Petugas kelurahan meminta uang Rp 5.000.000 untuk mengurus surat tanah warga.")
    tariff_b = features("d", "Oknum di kantor samsat meminta Rp 5.000.000 agar berkas kendaraan cepat selesai.")
    assert not set(entity_keys(tariff_a)) & set(entity_keys(tariff_b))
    assert "exact_sum" not in compare(tariff_a, tariff_b).shared


def test_a_full_name_is_a_blocking_key_a_first_name_alone_is_not() -> None:
    a = features("a", "Saya Rudi Hartono, bantuan sosial saya tidak cair sejak tiga bulan, mohon dicek petugas.")
    b = features("b", "Saya Rudi Hartono mau tanya kenapa bansos saya belum masuk ke rekening sampai sekarang ya.")
    assert set(entity_keys(a)) & set(entity_keys(b))
    c = features("c", "Nama : Rudi. Lampu jalan di gang depan rumah mati sudah seminggu tidak diperbaiki.")
    d = features("d", "Nama : Rudi. Saluran air depan sekolah tersumbat sampah dan meluap kalau hujan deras.")
    assert not set(entity_keys(c)) & set(entity_keys(d))


def test_shared_passages_are_the_longest_common_runs_even_when_sentences_move() -> None:
    first = "petugas loket meminta uang tambahan sebesar seratus ribu rupiah"
    second = "berkas kami tidak diproses sampai uang itu dibayar lunas"
    a = f("a", f"{first}. {second}. mohon ditindak.")
    b = f("b", f"tolong diperiksa. {second}, padahal {first}.")
    passages = compare(a, b).passages
    assert passages[:2] == (first, second)
    assert all(len(p.split()) >= 4 for p in passages)


def test_shared_passages_of_a_long_repetitive_text() -> None:
    text = "jalan rusak berlubang di depan sekolah " * 400  # under MAX_PASSAGE_WORDS
    a, b = f("a", text), f("b", "mohon segera diperbaiki " + text)
    passages = compare(a, b).passages
    assert len(passages) == 1 and passages[0] == a.text


def test_the_state_of_a_road_is_not_a_street_name() -> None:
    # "jalan padam" is a street light out, "jalan amblas" a sunken road: no street of that name.
    assert f("a", "Lampu penerangan jalan padam sudah dua hari, mohon dicek petugas").streets == frozenset()
    assert f("b", "Jalan amblas di Jl. Kenanga No. 4 makin lebar setiap hujan").streets == {("kenanga", "4")}


def test_an_object_is_not_mentioned_by_a_word_one_letter_away() -> None:
    # "mohon" (please) is one letter from "pohon" (tree): the drain report does not mention a tree.
    tree = f("a", "Mohon dirapikan pohon di Jl. Kenari No. 87, dahannya menutupi rambu lalu lintas.")
    river = f("b", "Di Jl. Kenari No. 87 ada tiang besar roboh melintang di sungai, mohon segera diangkat.")
    m = compare(tree, river)
    assert "object" in m.conflicts and not m.is_duplicate


def test_what_entity_extraction_reads_is_stable() -> None:
    # Stored entities and entity keys are compared with new ones: if this changes, raise
    # dedup.ENTITY_VERSION (`sigap triage index` then reads the stored reports again) and update the digest.
    import hashlib
    import json

    from sigap.triage.lib.pipeline import reread_entities

    text = ("Kepala Desa Sukamaju, Bapak Budi Santoso, memotong dana bantuan warga di Jalan Melati No. 7 RT 02 "
            "RW 03 Kecamatan Kedaton sebesar Rp 1.234.567.000 sejak Maret 2026. Data penerima (NIK "
            "1871012345670001) diubah di situs www.sukamaju-desa.id tanpa musyawarah.")
    reading = reread_entities(text, region_hint="18.71")
    assert reading.fields["streets"] == [["melati", "7"]] and reading.max_amount == 1_234_567_000
    # street and number, official (whose name is not counted again as a person), website, NIK, exact sum
    assert len(reading.entity_keys) == 5
    digest = hashlib.blake2b(json.dumps([reading.fields, reading.entity_keys], sort_keys=True).encode(),
                             digest_size=8).hexdigest()
    assert digest == "8d8ad04dd59e92f7"


def test_an_rw_named_alone_tells_neighbourhoods_apart() -> None:
    # the same request sent for two RWs is two jobs; RT 3 of RW 2 and RW 2 can be one matter
    text = "Minta bantuan pengangkutan sampah hasil kerja bakti warga di lokasi makam {} Kelurahan Menur"
    rw2, rw12 = f("a", text.format("RW 02")), f("b", text.format("RW 12"))
    m = compare(rw2, rw12)
    assert "rt_rw" in m.conflicts and not m.is_duplicate
    same = compare(rw2, f("c", text.format("RT 3 RW 2")))
    assert "rt_rw" not in same.conflicts and same.is_duplicate
    # a copy retyped in a hurry that moved a word ("RT RW 01" for "RT 01 RW 03") names no other RW
    moved = compare(f("d", text.format("RT 01 RW 03")), f("e", text.format("RT RW 01")))
    assert "rt_rw" not in moved.conflicts


def _road_campaign(n: int, rng: random.Random) -> list[str]:
    """`n` residents' own words about one broken road at one numbered address."""
    opening = ["Assalamualaikum,", "min tolong,", "lapor pak,", "halo min,", ""]
    damage = ["jalan berlubang dalam", "aspal rusak parah", "jalan amblas", "ruas jalan hancur"]
    extra = ["sudah 3 bulan belum diperbaiki", "motor sering jatuh", "kemarin ada yang kecelakaan",
             "anak sekolah jadi bahaya lewat situ", "mohon dinas PU segera perbaiki", "kapan diperbaiki?"]
    out = []
    for _ in range(n):
        parts = rng.sample(extra, 3)
        out.append(f"{rng.choice(opening)} {rng.choice(damage)} di Jl. Kaliurang km 7 No. 15, {', '.join(parts)}")
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_a_big_group_never_holds_two_residents_each_with_their_own_case(seed: int) -> None:
    # Two residents send the campaign's text about their own case, each with their own name and NIK:
    # each is like the campaign, they are not like each other. However large the campaign grows,
    # the two never end up in one group.
    rng = random.Random(seed)
    template = ("jalan rusak parah di Jl. Kaliurang km 7 No. 15, sudah 3 bulan belum diperbaiki, motor sering "
                "jatuh, mohon dinas PU segera perbaiki. Saya {name} NIK {nik} warga RT {rt} RW {rw}")
    x = f("X", template.format(name="Budi Santoso", nik="3404011203850001", rt="01", rw="02"))
    y = f("Y", template.format(name="Siti Aminah", nik="3404015507900002", rt="05", rw="07"))
    assert not compare(x, y).is_duplicate
    items = [f(f"c{i}", t) for i, t in enumerate(_road_campaign(150, rng))] + [x, y]
    rng.shuffle(items)
    groups = group_corpus(items)
    assert all(not {"X", "Y"} <= set(g.ids) for g in groups)
    assert max(len(g.ids) for g in groups) > 60  # the campaign is one big group
