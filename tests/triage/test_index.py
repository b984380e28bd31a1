"""The duplicate index tables: band rows, entity keys, ranking, the per-key cap, removal."""

from __future__ import annotations

import pytest

from sigap.triage import index
from sigap.triage.lib import minhash

pytestmark = pytest.mark.django_db

N = minhash.INDEX_BANDS
SKETCH = bytes(2 * minhash.SKETCH_SLOTS)
AGENCY = 1  # an agency id: these tests look inside one agency (no join with the agency table)


def add(report_id: int, bands: list[int], entity_keys=(), *, sketch: bytes = SKETCH, agency: int = AGENCY):  # type: ignore[no-untyped-def]
    index.add(index.Row(report_id, agency, bands, sketch), entity_keys)


def find(bands: list[int], entity_keys=(), **kwargs):  # type: ignore[no-untyped-def]
    return index.candidates(bands, entity_keys, instansi_id=AGENCY, across_agencies=False, **kwargs)


def bands(seed: int, shared_with: list[int] | None = None, shared: int = 0) -> list[int]:
    """N band values; the first `shared` equal to `shared_with`'s."""
    own = [seed * 1000 + i for i in range(N)]
    if shared_with is not None:
        own[:shared] = shared_with[:shared]
    return own


def test_most_shared_bands_rank_first_and_the_report_itself_is_excluded() -> None:
    probe = bands(1)
    add(10, bands(2, probe, shared=3))
    add(11, bands(3, probe, shared=9))
    add(12, bands(4))  # shares nothing
    add(13, probe)
    found = find(probe, exclude=13)
    assert [(c.report_id, c.bands) for c in found] == [(11, 9), (10, 3)]
    assert index.size() == 4


def test_entity_keys_find_reports_without_shared_bands_and_count_double() -> None:
    probe = bands(1)
    add(20, bands(2, probe, shared=1))
    add(21, bands(3), entity_keys=[7_000, 7_001])
    found = find(probe, [7_000, 7_001, 9_999])
    assert [(c.report_id, c.bands, c.entities) for c in found] == [(21, 0, 2), (20, 1, 0)]
    assert index.entity_rows() == 2


def test_adding_again_replaces_the_band_row() -> None:
    add(30, bands(5))
    add(30, bands(6))
    assert find(bands(5)) == []
    assert [c.report_id for c in find(bands(6))] == [30]
    assert index.size() == 1


def test_remove_takes_out_bands_and_entity_keys() -> None:
    add(40, bands(7), entity_keys=[5])
    index.remove(40, [5])
    assert find(bands(7), [5]) == [] and index.size() == 0 and index.entity_rows() == 0


def test_a_hot_band_is_read_for_its_newest_holders_only() -> None:
    hot = bands(8)
    rows = [index.Row(rid, AGENCY, [hot[0], *bands(100 + rid)[1:]], SKETCH) for rid in range(1, index.PER_KEY + 21)]
    assert index.add_many(rows) == len(rows)
    found = find([hot[0], *bands(9)[1:]], limit=10_000)
    ids = sorted(c.report_id for c in found)
    assert len(ids) == index.PER_KEY
    assert ids[0] == 21 and ids[-1] == index.PER_KEY + 20  # the oldest 20 are not read


def test_empty_text_is_not_indexed() -> None:
    assert index.add_many([index.Row(50, AGENCY, [], SKETCH)]) == 0
    assert minhash.index_bands(minhash.signature("")) == []
    assert find([], []) == []


def test_bands_of_near_duplicates_collide_and_fit_32_bits() -> None:
    text = "jalan rusak di depan kantor kecamatan sejak januari belum diperbaiki oleh dinas pekerjaan umum"
    a = minhash.index_bands(minhash.signature(text))
    b = minhash.index_bands(minhash.signature(text.replace("belum", "blm")))
    c = minhash.index_bands(minhash.signature("bantuan sosial beras tidak dibagikan kepada warga miskin desa"))
    assert len(a) == N and all(-(2**31) <= v < 2**31 for v in a)
    assert sum(x == y for x, y in zip(a, b, strict=True)) >= N // 4
    assert sum(x == y for x, y in zip(a, c, strict=True)) == 0


def test_candidates_carry_their_sketch_which_ranks_similar_texts_higher() -> None:
    base = "kepala desa meminta uang kepada warga untuk pembuatan sertifikat tanah di desa sukamaju"
    near = minhash.signature(base.replace("kepada", "kpd"))
    far = minhash.signature("sampah menumpuk di pasar induk dan tidak diangkut selama dua minggu")
    mine = minhash.signature(base)
    shared = minhash.index_bands(mine)
    add(60, shared, sketch=minhash.sketch(near))
    add(61, shared, sketch=minhash.sketch(far))
    found = {c.report_id: c.sketch for c in find(shared)}
    assert len(found[60]) == 2 * minhash.SKETCH_SLOTS
    near_sim, far_sim = minhash.sketch_similarity(minhash.sketch(mine), [found[60], found[61]])
    assert near_sim > 0.5 > 0.2 > far_sim


def test_only_reports_it_may_be_compared_with_are_candidates(agency_a, agency_b, hub) -> None:
    shared = bands(1)
    for report_id, agency in ((70, agency_a), (71, agency_b), (72, hub)):
        add(report_id, shared, agency=agency.pk)

    def ids(agency, across):  # type: ignore[no-untyped-def]
        found = index.candidates(shared, instansi_id=agency.pk, across_agencies=across)
        return sorted(c.report_id for c in found)

    assert ids(agency_a, across=True) == [70, 71, 72]  # all connected
    agency_b.connected_to_hub = False
    agency_b.save()
    assert ids(agency_a, across=True) == [70, 72]  # b keeps to itself ...
    assert ids(agency_b, across=False) == [71]  # ... and sees only its own


def test_extreme_band_values_and_64_bit_entity_keys_are_found() -> None:
    # Bands are signed 32-bit, entity keys signed 64-bit: both ends of each range go through the
    # typed parameters of the prepared statement on PostgreSQL.
    probe = [-(2**31), 2**31 - 1, *bands(7)[2:]]
    add(70, probe[:2] + bands(8)[2:])
    add(71, bands(9), entity_keys=[-(2**63), 2**63 - 1])
    found = find(probe, [-(2**63), 2**63 - 1])
    assert [(c.report_id, c.bands, c.entities) for c in found] == [(71, 0, 2), (70, 2, 0)]


def test_the_candidate_query_is_prepared_once_per_shape_on_postgresql(settings) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL path; SQLite plans in microseconds")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%triage_lsh%"])
            return int(cursor.fetchone()[0])

    add(80, bands(10))
    before = prepared()
    for seed in (10, 11, 12):  # one shape: same number of bands, no entity keys
        assert [c.report_id for c in find(bands(seed))] == ([80] if seed == 10 else [])
    assert prepared() == before + 1
    find(bands(10), [5])  # another shape: one entity key
    assert prepared() == before + 2
    settings.SIGAP_DB_PREPARED_STATEMENTS = False
    assert [c.report_id for c in find(bands(10), [6])] == [80]
    assert prepared() == before + 2


def test_a_failing_prepared_query_raises_django_database_errors(settings) -> None:  # type: ignore[no-untyped-def]
    from django.db import DatabaseError

    settings.SIGAP_DB_PREPARED_STATEMENTS = True
    with pytest.raises(DatabaseError):  # the driver's own error, in Django's terms
        index._fetch_prepared("SELECT no_such_column FROM triage_lsh WHERE b0 = %s", [1], int4=1)
