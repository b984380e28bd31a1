"""MinHash signatures and LSH band keys for near-duplicate detection (pure, numpy only).

Text -> shingles -> 64-bit stable hashes (polynomial rolling hash + splitmix64 finaliser, no
Python ``hash()``) -> ``num_perm`` universal hash functions -> the minimum of each function is one
signature slot (uint32).  The functions are Dietzfelbinger's multiply-add-shift family
``h_i(x) = ((a_i * x + b_i) mod 2**64) >> 32`` over the low 32 bits of the shingle hash, with
random odd 64-bit ``a_i`` and 64-bit ``b_i``: 2-universal like ``(a*x+b) mod p`` but computed with
three in-place numpy operations (measured 3x faster than a modulo by a Mersenne prime).

Shingles: 5-character shingles of the text with single spaces kept (feed text that went through
``normalize.normalize_text``).  Character shingles were chosen over word 3-grams by measurement
(bench/bench_dedup_quality.py): typos, abbreviations and split/joined words destroy at most five
shingles each, while one changed word destroys three word 3-grams out of a much smaller set, so
edited copies keep a far higher Jaccard and the gap to unrelated reports is wider.

LSH: ``DEFAULT_BANDS`` bands of ``DEFAULT_ROWS`` rows.  A pair with Jaccard ``s`` becomes a
candidate (shares at least one band key) with probability ``1 - (1 - s**r)**b``.  For b=32, r=4
(128 permutations) the S-curve threshold ``(1/b)**(1/r)`` is about 0.42:

    s      0.2    0.3    0.4    0.5    0.6    0.7    0.8
    P     0.05   0.23   0.56   0.87   0.99   1.00   1.00

so pairs at Jaccard 0.5 are found 87 % of the time, 0.6+ practically always, and unrelated
reports (Jaccard < 0.1 in practice) almost never collide.

Band keys are signed int64 (SQL BIGINT): the top bits carry the band index and the low 56 bits a
hash of the band's rows, so one indexed column ``band_key`` is enough (the band index can also be
stored separately; see ``band_of``).  Keys are always non-negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_BANDS",
    "INDEX_BANDS",
    "SKETCH_SLOTS",
    "sketch",
    "sketch_similarity",
    "index_bands",
    "index_bands_batch",
    "DEFAULT_NUM_PERM",
    "DEFAULT_SHINGLE",
    "EMPTY_VALUE",
    "MinHasher",
    "band_keys",
    "band_keys_batch",
    "band_of",
    "candidate_probability",
    "estimate_jaccard",
    "is_empty",
    "key_for",
    "lsh_threshold",
    "shingle_hashes",
    "signature",
    "signature_from_bytes",
    "signature_to_bytes",
    "signatures",
]

Signature = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

DEFAULT_NUM_PERM = 128
DEFAULT_BANDS = 32
DEFAULT_SHINGLE = 5
DEFAULT_SEED = 20240611
_LOW32 = np.uint64(0xFFFFFFFF)
EMPTY_VALUE = np.uint32(0xFFFFFFFF)  # slot value of a signature of empty text
BAND_SHIFT = 56  # band index lives in bits 56..62 -> at most 128 band indexes
MAX_BAND_INDEX = (1 << (63 - BAND_SHIFT)) - 1
_LOW_MASK = np.uint64((1 << BAND_SHIFT) - 1)
_MAX_TEXT_CHARS = 200_000  # longer texts are truncated: a signature of the first 200k chars

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_POLY = np.uint64(0x100000001B3)


def _mix64(x: U64) -> U64:
    """splitmix64 finaliser: a fast, stable, well-mixing 64-bit hash (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _codepoints(text: str) -> U64:
    raw = text[:_MAX_TEXT_CHARS].encode("utf-32-le", errors="replace")
    return np.frombuffer(raw, dtype=np.uint32).astype(np.uint64)


def shingle_hashes(text: str, k: int = DEFAULT_SHINGLE) -> U64:
    """64-bit hashes of the k-character shingles of ``text`` (empty array for empty text).

    A non-empty text shorter than ``k`` yields one shingle (the whole text).
    """
    cps = _codepoints(text)
    n = cps.shape[0]
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    return _rolling_hashes(cps, min(k, n))


def _rolling_hashes(cps: U64, k: int) -> U64:
    """The hash of every run of k code points in `cps` (len(cps) - k + 1 of them)."""
    with np.errstate(over="ignore"):
        mixed = _mix64(cps + np.uint64(0x9E3779B97F4A7C15))
        m = cps.shape[0] - k + 1
        acc = mixed[:m].copy()
        for j in range(1, k):
            acc *= _POLY
            acc += mixed[j : m + j]
        return _mix64(acc)


class MinHasher:
    """Holds the hashing parameters; all signatures compared must share them.

    One-permutation hashing with densification: each shingle hash is mixed once, its top bits
    choose one of ``num_perm`` bins and its low 32 bits compete for that bin's minimum; bins left
    empty (short texts) borrow from the next filled bin, mixed with the distance, so that two texts
    agree on a slot with probability close to their Jaccard similarity, as with ``num_perm``
    independent permutations, at the cost of one hash per shingle instead of ``num_perm``.
    """

    def __init__(self, num_perm: int = DEFAULT_NUM_PERM, *, k: int = DEFAULT_SHINGLE,
                 seed: int = DEFAULT_SEED) -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be positive")
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.k = k
        self.seed = seed
        self._salt = rng.integers(0, 1 << 63, dtype=np.uint64)
        self._pow2 = num_perm & (num_perm - 1) == 0
        self._shift = np.uint64(64 - max(num_perm.bit_length() - 1, 0))

    def empty(self) -> Signature:
        return np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)

    def signature(self, text: str) -> Signature:
        hashes = shingle_hashes(text, self.k)
        if hashes.shape[0] == 0:
            return self.empty()
        bins, values = self._bins_and_values(hashes)
        sig = self.empty()
        np.minimum.at(sig, bins, values)
        return _densify(sig)

    def signatures(self, texts: Iterable[str]) -> npt.NDArray[np.uint32]:
        """Signatures of many texts as a (n, num_perm) uint32 array: the same as ``signature`` of
        each (tested), computed over all texts at once (one pass of array operations for a whole
        batch instead of a few dozen small ones per text, which cost more than the hashing)."""
        items = list(texts)
        out = np.full((len(items), self.num_perm), EMPTY_VALUE, dtype=np.uint32)
        cps = [_codepoints(text) for text in items]
        lengths = np.array([c.shape[0] for c in cps], dtype=np.int64)
        short = np.flatnonzero((lengths > 0) & (lengths < self.k))  # one whole-text shingle each
        if short.shape[0]:
            hashes = np.concatenate([shingle_hashes(items[i], self.k) for i in short])
            out[short] = self._slots(hashes, np.arange(short.shape[0], dtype=np.int64), short.shape[0])
        rows = np.flatnonzero(lengths >= self.k)
        # Slices of at most _BATCH_CHARS characters bound the memory of a batch with huge texts.
        ends = np.cumsum(lengths[rows])
        start = done = 0  # rows and characters signed so far
        while start < rows.shape[0]:
            stop = max(start + 1, int(np.searchsorted(ends, done + _BATCH_CHARS, side="right")))
            part = rows[start:stop]
            hashes, owner = self._batch_shingles([cps[i] for i in part], lengths[part])
            out[part] = self._slots(hashes, owner, part.shape[0])
            start, done = stop, int(ends[stop - 1])
        return out

    def _bins_and_values(self, hashes: U64) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        """Each shingle hash is mixed once: its top bits choose the bin, its low 32 bits compete for
        the bin's minimum."""
        with np.errstate(over="ignore"):
            mixed = _mix64(hashes ^ self._salt)
        if self._pow2 and self.num_perm > 1:
            bins = (mixed >> self._shift).astype(np.int64)
        else:
            bins = ((mixed >> np.uint64(32)) % np.uint64(self.num_perm)).astype(np.int64)
        return bins, np.minimum(mixed & _LOW32, np.uint64(_MAX_SLOT)).astype(np.uint32)

    def _slots(self, hashes: U64, owner: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.uint32]:
        """(n, num_perm) signatures from shingle hashes and each hash's text (0..n-1, each text at
        least one hash)."""
        bins, values = self._bins_and_values(hashes)
        flat = np.full(n * self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        np.minimum.at(flat, owner * self.num_perm + bins, values)
        return _densify_rows(flat.reshape(n, self.num_perm))

    def _batch_shingles(
        self, cps: list[U64], lengths: npt.NDArray[np.int64]
    ) -> tuple[U64, npt.NDArray[np.int64]]:
        """`shingle_hashes` of texts of at least k characters, concatenated, with each hash's text
        (its position among `cps`)."""
        k = self.k
        hashes = _rolling_hashes(np.concatenate(cps), k)
        # Text i starts at starts[i] and has lengths[i] - k + 1 shingles of its own; hashes from its
        # last k - 1 positions would run into the next text and are left out.
        counts = lengths - k + 1
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        owner = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), counts)
        offsets = np.arange(owner.shape[0], dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        return hashes[starts[owner] + offsets], owner


_MAX_SLOT = 0xFFFFFFFE  # EMPTY_VALUE marks empty bins (and, in every slot, an empty text)
_BATCH_CHARS = 1 << 21
_DISTANCE = np.uint64(0x9E3779B97F4A7C15)


def _densify(sig: Signature) -> Signature:
    """Fills the empty bins of one signature (in place) from the next filled bin, cyclically, mixed
    with the distance (`_densify_rows` does the same for many rows at once)."""
    empty = sig == EMPTY_VALUE
    if not empty.any() or empty.all():
        return sig
    filled = np.flatnonzero(~empty)
    holes = np.flatnonzero(empty)
    pos = np.searchsorted(filled, holes)
    pos[pos == filled.shape[0]] = 0
    source = filled[pos]
    distance = ((source - holes) % sig.shape[0]).astype(np.uint64)
    with np.errstate(over="ignore"):
        borrowed = _mix64(sig[source].astype(np.uint64) + distance * _DISTANCE)
    sig[holes] = np.minimum(borrowed & _LOW32, np.uint64(_MAX_SLOT)).astype(np.uint32)
    return sig


def _densify_rows(block: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Fills the empty bins of each row (in place) from the next filled bin, cyclically, mixed with
    the distance. Every row must have a filled bin."""
    width = block.shape[1]
    empty = block == EMPTY_VALUE
    position = np.broadcast_to(np.arange(width, dtype=np.int64), block.shape)
    filled_at = np.where(empty, width, position)  # width: "none at or after this bin"
    next_filled = np.minimum.accumulate(filled_at[:, ::-1], axis=1)[:, ::-1]
    source = np.where(next_filled == width, next_filled[:, :1], next_filled)  # wrap to the first
    rows, holes = np.nonzero(empty)
    src = source[rows, holes]
    distance = ((src - holes) % width).astype(np.uint64)
    with np.errstate(over="ignore"):
        borrowed = _mix64(block[rows, src].astype(np.uint64) + distance * _DISTANCE)
    block[rows, holes] = np.minimum(borrowed & _LOW32, np.uint64(_MAX_SLOT)).astype(np.uint32)
    return block


_DEFAULT = MinHasher()


def signature(text: str, hasher: MinHasher | None = None) -> Signature:
    """MinHash signature (uint32[num_perm]) of ``text`` (pass normalised text)."""
    return (hasher or _DEFAULT).signature(text)


def signatures(texts: Iterable[str], hasher: MinHasher | None = None) -> npt.NDArray[np.uint32]:
    """Batch form of ``signature``: a (len(texts), num_perm) uint32 array."""
    return (hasher or _DEFAULT).signatures(texts)


def is_empty(sig: Signature) -> bool:
    """True for the signature of an empty text (it matches nothing)."""
    return bool(np.all(sig == EMPTY_VALUE))


def signature_to_bytes(sig: Signature) -> bytes:
    """Little-endian uint32 bytes (num_perm * 4 bytes) for a BLOB/bytea column."""
    return np.asarray(sig, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    if len(data) % 4:
        raise ValueError("signature bytes must be a multiple of 4")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def estimate_jaccard(a: Signature, b: Signature) -> float:
    """Fraction of equal slots = estimated Jaccard similarity; 0.0 if either text was empty."""
    if a.shape != b.shape:
        raise ValueError(f"signature lengths differ: {a.shape} vs {b.shape}")
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / a.shape[0]


def key_for(index: int, value_hash: int) -> int:
    """Compose a non-negative int64 key from an index (0..127) and any integer hash."""
    if not 0 <= index <= MAX_BAND_INDEX:
        raise ValueError(f"band index out of range: {index}")
    return (index << BAND_SHIFT) | (value_hash & ((1 << BAND_SHIFT) - 1))


def band_of(key: int) -> int:
    """The band index stored in a key."""
    return key >> BAND_SHIFT


def _band_hashes(sigs: npt.NDArray[np.uint32], bands: int) -> U64:
    n, num_perm = sigs.shape
    if num_perm % bands:
        raise ValueError(f"num_perm {num_perm} is not divisible by bands {bands}")
    if bands > MAX_BAND_INDEX + 1:
        raise ValueError(f"at most {MAX_BAND_INDEX + 1} bands")
    rows = num_perm // bands
    cube = sigs.astype(np.uint64).reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        acc = np.zeros((n, bands), dtype=np.uint64)
        for r in range(rows):
            acc = _mix64(acc * _POLY + cube[:, :, r] + np.uint64(r + 1))
    index = np.arange(bands, dtype=np.uint64)[None, :] << np.uint64(BAND_SHIFT)
    return (acc & _LOW_MASK) | index


def band_keys_batch(sigs: npt.NDArray[np.uint32], bands: int = DEFAULT_BANDS) -> npt.NDArray[np.int64]:
    """(n, bands) int64 band keys; rows of empty signatures are all -1 (never index those)."""
    sigs = np.atleast_2d(np.asarray(sigs, dtype=np.uint32))
    keys = _band_hashes(sigs, bands).astype(np.int64)
    empty = np.all(sigs == EMPTY_VALUE, axis=1)
    keys[empty] = -1
    return keys


def band_keys(sig: Signature, bands: int = DEFAULT_BANDS) -> list[int]:
    """LSH band keys of one signature: ``bands`` non-negative ints that fit a SQL BIGINT.

    Two signatures are LSH candidates when they share any key.  Empty text gives no keys.
    """
    if is_empty(sig):
        return []
    return [int(k) for k in band_keys_batch(sig[None, :], bands)[0]]


INDEX_BANDS = 24  # the database index: 24 bands of 4 slots over the signature's first 96 slots
INDEX_ROWS = 4


def index_bands_batch(sigs: npt.NDArray[np.uint32]) -> npt.NDArray[np.int32]:
    """(n, INDEX_BANDS) signed 32-bit band hashes for the database index, one column per band (the
    band is the column, so 32 bits suffice: at a million reports a random collision costs about one
    extra candidate per check, which the signature comparison drops). Rows of empty signatures are
    all zero and must not be indexed."""
    sigs = np.atleast_2d(np.asarray(sigs, dtype=np.uint32))
    width = INDEX_BANDS * INDEX_ROWS
    hashes = _band_hashes(np.ascontiguousarray(sigs[:, :width]), INDEX_BANDS) & _LOW32
    out = hashes.astype(np.uint32).view(np.int32)
    out[np.all(sigs == EMPTY_VALUE, axis=1)] = 0
    return out


def index_bands(sig: Signature) -> list[int]:
    """The INDEX_BANDS band hashes of one signature; [] for empty text (never indexed)."""
    if is_empty(sig):
        return []
    return [int(v) for v in index_bands_batch(sig[None, :])[0]]


SKETCH_SLOTS = 64  # a compact copy of the signature kept in the index row: 64 slots x 16 bits


def sketch(sig: Signature) -> bytes:
    """The signature's first SKETCH_SLOTS slots, 16 bits each (128 bytes): enough to rank a few
    dozen candidates by estimated similarity without reading the full signatures (two different
    slot values agree on 16 bits with probability 1/65536)."""
    return (np.asarray(sig[:SKETCH_SLOTS], dtype=np.uint32) & 0xFFFF).astype("<u2").tobytes()


def sketch_similarity(mine: bytes, others: Sequence[bytes]) -> npt.NDArray[np.float64]:
    """Estimated Jaccard of one sketch against several (fraction of equal slots)."""
    if not others:
        return np.zeros(0)
    a = np.frombuffer(mine, dtype="<u2")
    matrix = np.frombuffer(b"".join(others), dtype="<u2").reshape(len(others), -1)
    return (matrix == a).mean(axis=1)


def lsh_threshold(bands: int = DEFAULT_BANDS, rows: int = DEFAULT_NUM_PERM // DEFAULT_BANDS) -> float:
    """Jaccard at the steepest part of the S-curve, approximately (1/b)**(1/r)."""
    return float((1.0 / bands) ** (1.0 / rows))


def candidate_probability(jaccard: float, bands: int = DEFAULT_BANDS,
                          rows: int = DEFAULT_NUM_PERM // DEFAULT_BANDS) -> float:
    """Probability that a pair with the given Jaccard shares at least one band key."""
    return float(1.0 - (1.0 - jaccard**rows) ** bands)
