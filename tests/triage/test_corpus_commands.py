"""The corpus tools (`sigap triage dedup | locate | classify | evaluate`) on the files people really
have: integer ids, repeated ids, a byte-order mark, titles, the text under another name, bad paths.
They run without a database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

LEVY = "Kepala desa minta pungutan liar Rp 500.000 untuk surat tanah di Kecamatan Rungkut, mohon ditindak."
RUBBISH = "Sampah menumpuk di Jalan Kenanga Raya nomor 5 sudah dua minggu tidak diangkut petugas kebersihan."


def _write(path: Path, *rows: object, raw: bytes = b"") -> Path:
    path.write_bytes(raw + "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows).encode() + b"\n")
    return path


def test_dedup_keeps_each_ids_type_and_names_missing_and_repeated_ids(tmp_path, capsys) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        {"id": 1, "text": LEVY},
        {"id": 1, "text": LEVY},  # the same id again: skipped, never a second member of a group
        {"id": "7", "text": LEVY + " Tolong."},
        {"id": 9, "text": RUBBISH},
        {"id": "x9", "text": RUBBISH + "!"},
        {"id": None, "text": RUBBISH + "!!"},
        {"text": RUBBISH + "!!!"},
    )
    call_command("triage", "dedup", "--input", str(src), "--output", "-", "--workers", "1")
    captured = capsys.readouterr()
    groups = [json.loads(line) for line in captured.out.splitlines()]
    assert sorted(map(str, (i for g in groups for i in g["ids"]))) == ["1", "7", "9", "x9"]
    by_first = {g["ids"][0] if isinstance(g["ids"][0], int) else g["ids"][1]: g for g in groups}
    assert set(by_first[1]["ids"]) == {1, "7"} and set(by_first[9]["ids"]) == {9, "x9"}
    assert all(type(a) is not type(b) or a != b for g in groups for a, b, _ in g["pairs"])
    for line in (2, 6, 7):
        assert f"line {line}:" in captured.err
    assert "4 report(s) read, 3 line(s) skipped" in captured.err


def test_paths_are_checked_before_any_work(tmp_path) -> None:
    src = _write(tmp_path / "in.jsonl", {"id": 1, "text": LEVY})
    with pytest.raises(CommandError, match="no such folder"):
        call_command("triage", "dedup", "--input", str(src), "--output", str(tmp_path / "missing" / "g.jsonl"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("triage", "dedup", "--input", str(src), "--output", str(tmp_path))
    with pytest.raises(CommandError, match="is the input"):
        call_command("triage", "dedup", "--input", str(src), "--output", str(tmp_path / "." / "in.jsonl"))
    assert json.loads(src.read_text())["text"] == LEVY  # the input is untouched
    for tool in ("classify", "locate", "dedup", "evaluate"):
        extra = {"dedup": ["--output", "-"], "evaluate": ["--label-field", "x"]}.get(tool, [])
        with pytest.raises(CommandError, match="no such file"):
            call_command("triage", tool, "--input", str(tmp_path / "nothing.jsonl"), *extra)


def test_a_file_whose_text_is_nowhere_fails_and_says_what_it_has(tmp_path, capsys) -> None:
    src = _write(tmp_path / "in.jsonl", {"id": 1, "complaint": LEVY}, {"id": 2, "complaint": RUBBISH})
    with pytest.raises(CommandError, match="the file's fields: id, complaint"):
        call_command("triage", "classify", "--input", str(src))
    assert "line 1: no text" in capsys.readouterr().err
    with pytest.raises(CommandError, match=r"text looked for in: isi;"):  # the field named, alone
        call_command("triage", "locate", "--input", str(src), "--text-field", "isi")
    with pytest.raises(CommandError, match="no report could be read"):
        call_command("triage", "dedup", "--input", str(_write(tmp_path / "csv.jsonl", "id,text", "1,x")),
                     "--output", str(tmp_path / "g.jsonl"))
    with pytest.raises(CommandError, match="UTF-16"):
        (tmp_path / "u16.jsonl").write_bytes(json.dumps({"id": 1, "text": LEVY}).encode("utf-16"))
        call_command("triage", "classify", "--input", str(tmp_path / "u16.jsonl"))


def test_a_byte_order_mark_a_title_and_a_stray_carriage_return_are_read(tmp_path, capsys) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        {"id": 1, "text": "pungutan liar di kantor kelurahan"},
        {"id": 2, "title": "Pungli surat tanah oleh Kepala Desa di Kecamatan Rungkut"},
        '{"id": 3, "text": "jalan rusak\rdi Kecamatan Rungkut"}',
        raw=b"\xef\xbb\xbf",
    )
    call_command("triage", "classify", "--input", str(src))
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(o["id"], o["line"]) for o in out] == [(1, 1), (2, 2), (3, 3)]
    assert out[1]["category"] == "pungli"  # read from the title
    call_command("triage", "locate", "--input", str(src), "--region-hint", "35.78")
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out[1]["kecamatan"] == "35.78.03" and out[2]["kecamatan"] == "35.78.03"


def test_locate_refuses_an_unknown_region_and_survives_a_numeric_one_on_a_line(tmp_path, capsys) -> None:
    src = _write(tmp_path / "in.jsonl", {"id": 1, "text": "Jalan rusak di Kecamatan Rungkut", "region_hint": 35.78})
    with pytest.raises(CommandError, match="not a Kemendagri region code"):
        call_command("triage", "locate", "--input", str(src), "--region-hint", "Surabaya")
    call_command("triage", "locate", "--input", str(src), "--region-hint", "35.78")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["kecamatan"] == "35.78.03"
    assert "region_hint is not a string" in captured.err


def test_evaluate_reads_labels_regardless_of_case_and_says_why_lines_were_skipped(tmp_path, capsys) -> None:
    rows: list[object] = []
    for i in range(30):
        rows.append({"text": f"jalan rusak berlubang nomor {i} mohon diperbaiki", "label": ["fisik", "FISIK", " Fisik "][i % 3]})
        rows.append({"text": f"pengurusan akta kelahiran {i} lambat sekali", "label": "administratif"})
    rows += [{"text": "tanpa label"}, {"text": "", "label": "fisik"}, "not json"]
    src = _write(tmp_path / "in.jsonl", *rows)
    call_command("triage", "evaluate", "--input", str(src), "--label-field", "label")
    out = capsys.readouterr().out
    assert "classes 2" in out and "skipped 3" in out
    assert "without the label field 'label'" in out and "without a text" in out
    assert "labels differing only in case or spaces read as one" in out
    with pytest.raises(CommandError, match="no line has both a text and a label in 'kategori'"):
        call_command("triage", "evaluate", "--input", str(src), "--label-field", "kategori")


def test_many_classes_get_fewer_features_each(monkeypatch) -> None:
    """The solver's memory grows with classes x features: past the budget each class gets fewer."""
    from sigap.triage.lib import classify

    assert classify._features_within_budget(3, 60_000, 120_000) == (60_000, 120_000)
    word, char = classify._features_within_budget(200, 60_000, 120_000)
    assert 200 * (word + char) <= classify.PARAMETER_BUDGET and char == 2 * word
    # every word twice (the vocabulary keeps words seen at least twice): 1,200 words, more grams
    texts = [" ".join(f"kata{(i // 2) * 3 + k}x{k}" for k in range(3)) for i in range(800)]
    labels = [f"unit-{i % 40}" for i in range(800)]
    unbounded = classify.train(texts, labels)
    assert len(unbounded.word_vocab) > 1_000 and len(unbounded.char_vocab) > 1_000
    monkeypatch.setattr(classify, "PARAMETER_BUDGET", 40 * 1_500)
    bounded = classify.train(texts, labels)
    assert len(bounded.word_vocab) <= 1_000 and len(bounded.char_vocab) <= 1_000


def test_lines_no_output_could_write_are_skipped_by_number_and_ids_survive_other_encodings(
    tmp_path, capsys
) -> None:
    src = tmp_path / "hostile.jsonl"
    deep = b'{"id": 4, "text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    src.write_bytes(
        b"\n".join(
            [
                b'{"id": "z\\ud800", "text": "' + LEVY.encode() + b'"}',  # a lone surrogate
                b'{"id": NaN, "text": "' + LEVY.encode() + b'"}',  # NaN is no JSON
                b'{"id": "ok\\ud83d\\ude00", "text": "' + LEVY.encode() + b'"}',  # a surrogate pair is an emoji
                deep,
                b'{"id": "caf\xe9", "text": "' + RUBBISH.encode() + b'"}',  # Windows-1252, not UTF-8
                b'{"id": "caf\xe8", "text": "' + RUBBISH.encode() + b' Tolong."}',
            ]
        )
        + b"\n"
    )
    previous = tmp_path / "groups.jsonl"
    previous.write_text("old groups\n")
    call_command("triage", "classify", "--input", str(src))
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["id"] for o in out] == ["ok\U0001f600", "café", "cafè"]
    for line in (1, 2, 4):
        assert f"line {line}:" in captured.err
    call_command("triage", "dedup", "--input", str(src), "--output", str(previous), "--workers", "99")
    groups = [json.loads(line) for line in previous.read_text().splitlines()]
    assert [set(g["ids"]) for g in groups] == [{"café", "cafè"}]
    assert "1 group(s) of 2 report(s)" in capsys.readouterr().err
    assert not list(tmp_path.glob(".groups.jsonl.*"))  # no part file left beside it
    with pytest.raises(CommandError, match="--workers"):
        call_command("triage", "dedup", "--input", str(src), "--output", str(previous), "--workers", "-1")


def test_a_line_without_text_gets_no_category(tmp_path, capsys) -> None:
    src = _write(tmp_path / "in.jsonl", {"id": "e", "text": ""}, {"id": "l", "text": LEVY},
                 {"id": "emoji", "text": "\U0001f621\U0001f621\U0001f621"}, {"id": "digits", "text": "1234 5678"},
                 {"id": "a", "text": "aaaaaaa x"})
    call_command("triage", "classify", "--input", str(src))
    captured = capsys.readouterr()
    out = {o["id"]: o for o in map(json.loads, captured.out.splitlines())}
    for nothing in ("e", "emoji", "digits", "a"):
        assert out[nothing]["category"] is None and out[nothing]["confidence"] is None
    assert out["l"]["category"] == "pungli"
    assert "line 3: no word to read" in captured.err


def test_dedup_output_follows_a_link_and_keeps_the_files_permissions(tmp_path) -> None:
    src = _write(tmp_path / "in.jsonl", {"id": 1, "text": LEVY}, {"id": 2, "text": LEVY + " Tolong."})
    real = tmp_path / "groups.jsonl"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    call_command("triage", "dedup", "--input", str(src), "--output", str(link), "--workers", "1")
    assert link.is_symlink() and json.loads(real.read_text().splitlines()[0])["ids"] == [1, 2]
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_is_one_sentence(tmp_path) -> None:
    import os

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    src = _write(tmp_path / "in.jsonl", *({"id": i, "text": LEVY} for i in range(200)))
    with pytest.raises(CommandError, match="No space left"):
        call_command("triage", "classify", "--input", str(src), stdout=open("/dev/full", "w"))  # noqa: SIM115



def test_dedup_writes_into_a_pipe_and_leaves_it_a_pipe(tmp_path) -> None:
    import os
    import stat
    import threading

    src = _write(tmp_path / "in.jsonl", {"id": 1, "text": LEVY}, {"id": 2, "text": LEVY + " Tolong."})
    fifo = tmp_path / "groups.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    call_command("triage", "dedup", "--input", str(src), "--output", str(fifo), "--workers", "1")
    reader.join(timeout=30)
    assert json.loads(got[0].splitlines()[0])["ids"] == [1, 2]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
