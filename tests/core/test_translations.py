"""Every message the code and templates show has its Indonesian translation.

Runs `makemessages` on a copy of the source (the project's own .po files are never rewritten by a
test) and reads the merged Indonesian catalogue: a msgid that the code uses but the catalogue
lacks comes out with an empty msgstr.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[2] / "sigap"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _entries(po: str) -> list[dict[str, str]]:
    entries = []
    for block in po.split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid", "msgstr", "msgctxt")):
                key = line.split(" ", 1)[0]
                entry[key] = "".join(_STRING.findall(line))
            elif line.startswith('"') and key:
                entry[key] += "".join(_STRING.findall(line))
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.skipif(not shutil.which("xgettext") or not shutil.which("msgmerge"), reason="needs GNU gettext")
def test_every_message_has_an_indonesian_translation(tmp_path, settings, monkeypatch) -> None:
    copy = tmp_path / "sigap"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)
    entries = _entries((copy / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text())
    assert len(entries) > 500
    missing = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert not missing, missing
