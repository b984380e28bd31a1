from __future__ import annotations

import random
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sigap.triage.lib import minhash
from sigap.triage.lib.normalize import normalize_text

BASE = normalize_text(
    "Lampu penerangan jalan di depan balai RW 4 sudah mati selama dua minggu, akibatnya jalan gelap "
    "dan beberapa warga hampir menjadi korban jambret saat pulang kerja pada malam hari. Mohon segera "
    "diperbaiki oleh dinas terkait."
)
OTHER = normalize_text(
    "Pelayanan pembuatan akta kelahiran di kantor kecamatan sangat lambat, berkas kami sudah masuk "
    "sejak bulan lalu tetapi petugas selalu mengatakan bahwa sistem sedang gangguan dan meminta kami "
    "kembali minggu depan."
)


def _words_vocab(seed: int, n: int = 60) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuwy"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]


def test_identical_texts_estimate_one() -> None:
    assert minhash.estimate_jaccard(minhash.signature(BASE), minhash.signature(BASE)) == 1.0


def test_unrelated_texts_low() -> None:
    assert minhash.estimate_jaccard(minhash.signature(BASE), minhash.signature(OTHER)) < 0.15


def test_signature_shape_dtype_and_determinism() -> None:
    sig = minhash.signature(BASE)
    assert sig.dtype == np.uint32 and sig.shape == (minhash.DEFAULT_NUM_PERM,)
    assert np.array_equal(sig, minhash.MinHasher().signature(BASE))


def test_configurable_num_perm() -> None:
    hasher = minhash.MinHasher(64)
    assert hasher.signature(BASE).shape == (64,)
    assert len(minhash.band_keys(hasher.signature(BASE), bands=16)) == 16


def test_estimate_close_to_exact_jaccard() -> None:
    edited = BASE.replace("dua minggu", "tiga hari").replace("jambret", "pencurian motor")
    a = {BASE[i : i + 5] for i in range(len(BASE) - 4)}
    b = {edited[i : i + 5] for i in range(len(edited) - 4)}
    exact = len(a & b) / len(a | b)
    est = minhash.estimate_jaccard(minhash.signature(BASE), minhash.signature(edited))
    assert abs(est - exact) < 0.15


def test_batch_equals_single() -> None:
    texts = [BASE, OTHER, "", "x"]
    batch = minhash.signatures(texts)
    for row, text in zip(batch, texts, strict=True):
        assert np.array_equal(row, minhash.signature(text))


@pytest.mark.parametrize(("num_perm", "k", "slice_chars"), [(128, 5, 1 << 21), (128, 5, 500), (100, 3, 1 << 21),
                                                          (7, 5, 1 << 21), (1, 2, 1 << 21)])
def test_batch_equals_single_for_every_length_and_bin_count(num_perm: int, k: int, slice_chars: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The batch path hashes many texts at once (in slices of so many characters): no shingle may
    # cross from one text into the next; texts shorter than k, empty texts, texts with empty bins
    # and texts longer than a slice must come out as one by one.
    monkeypatch.setattr(minhash, "_BATCH_CHARS", slice_chars)
    rng = random.Random(num_perm)
    texts = ["", "a", "abcd", "abcde", "ü😀日本語", "z" * 250_000, BASE, OTHER]
    texts += ["".join(rng.choice("ab cdé😀") for _ in range(rng.randint(0, 300))) for _ in range(400)]
    rng.shuffle(texts)
    hasher = minhash.MinHasher(num_perm, k=k)
    assert np.array_equal(hasher.signatures(texts), np.stack([hasher.signature(t) for t in texts]))
    assert hasher.signatures([]).shape == (0, num_perm)


def test_what_a_text_signs_to_is_stable() -> None:
    # Stored signatures are compared with new ones: if this changes, raise dedup.SIGNATURE_VERSION
    # (stored signatures are then re-signed by `sigap triage index`) and update the digest.
    import hashlib

    from sigap.triage.lib.dedup import matter_text

    text = matter_text("Assalamualaikum admin, jalan Mawar no 12 rusak parah sejak Januari 2026, mohon "
                       "diperbaiki. Terima kasih.")
    assert text == "jalan mawar no 12 rusak parah sejak januari 2026 mohon diperbaiki"
    for sig in (minhash.signature(text), minhash.signatures([text])[0]):
        digest = hashlib.blake2b(minhash.signature_to_bytes(sig), digest_size=8).hexdigest()
        assert digest == "c05bf0162f6a1984"


def test_bytes_roundtrip() -> None:
    sig = minhash.signature(BASE)
    data = minhash.signature_to_bytes(sig)
    assert isinstance(data, bytes) and len(data) == 4 * minhash.DEFAULT_NUM_PERM
    assert np.array_equal(minhash.signature_from_bytes(data), sig)
    with pytest.raises(ValueError):
        minhash.signature_from_bytes(b"abc")


def test_band_keys_fit_bigint_and_carry_band_index() -> None:
    keys = minhash.band_keys(minhash.signature(BASE))
    assert len(keys) == minhash.DEFAULT_BANDS
    assert all(0 <= k < 2**63 for k in keys)
    assert [minhash.band_of(k) for k in keys] == list(range(minhash.DEFAULT_BANDS))


def test_band_keys_collide_for_near_duplicates() -> None:
    edited = BASE.replace("dua minggu", "2 minggu").replace("mohon", "tolong")
    shared = set(minhash.band_keys(minhash.signature(BASE))) & set(minhash.band_keys(minhash.signature(edited)))
    assert shared


def test_band_keys_rarely_collide_for_unrelated() -> None:
    vocab = _words_vocab(1, 400)
    rng = random.Random(2)
    texts = [" ".join(rng.choice(vocab) for _ in range(40)) for _ in range(200)]
    keys = minhash.band_keys_batch(minhash.signatures(texts))
    seen: dict[int, int] = {}
    collisions = 0
    for i, row in enumerate(keys):
        owners = {seen.setdefault(int(k), i) for k in row} - {i}
        collisions += len(owners)
    assert collisions <= 2


def test_empty_text_has_no_keys_and_matches_nothing() -> None:
    empty = minhash.signature("")
    assert minhash.is_empty(empty)
    assert minhash.band_keys(empty) == []
    assert minhash.estimate_jaccard(empty, empty) == 0.0
    assert (minhash.band_keys_batch(minhash.signatures(["", BASE]))[0] == -1).all()


def test_s_curve_documented_values() -> None:
    assert 0.40 < minhash.lsh_threshold() < 0.45
    assert minhash.candidate_probability(0.6) > 0.98
    assert minhash.candidate_probability(0.1) < 0.01


def test_mismatched_signatures_rejected() -> None:
    with pytest.raises(ValueError):
        minhash.estimate_jaccard(minhash.signature(BASE), minhash.MinHasher(64).signature(BASE))
    with pytest.raises(ValueError):
        minhash.band_keys(minhash.signature(BASE), bands=30)


def test_speed_300_chars() -> None:
    text = (BASE * 2)[:300]
    minhash.signature(text)
    t0 = time.perf_counter()
    for _ in range(200):
        minhash.signature(text)
    per_call = (time.perf_counter() - t0) / 200
    assert per_call < 0.003  # generous bound for loaded CI machines; typical 0.1-0.2 ms


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.text(max_size=400))
def test_estimate_symmetric_and_bounded(a: str, b: str) -> None:
    sa, sb = minhash.signature(a), minhash.signature(b)
    est = minhash.estimate_jaccard(sa, sb)
    assert est == minhash.estimate_jaccard(sb, sa)
    assert 0.0 <= est <= 1.0


def test_odd_inputs_do_not_crash() -> None:
    for text in ["\x00\x01\x02", "😀" * 50, "a" * 1_000_000, "\ud800x", bytes(range(256)).decode("latin-1")]:
        sig = minhash.signature(text)
        assert sig.shape == (minhash.DEFAULT_NUM_PERM,)
