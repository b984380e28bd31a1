"""Settings come from the environment; a wrong one stops with one sentence, never a traceback."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sigap(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DATABASE_URL", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "sigap.cli", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_sentence_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_keys_are_generated_with_owner_only_permissions(tmp_path: Path) -> None:
    result = sigap("check", env={"SIGAP_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    key = tmp_path / "secret.key"
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    assert sigap("check", env={"SIGAP_VAR_DIR": str(tmp_path)}).returncode == 0
    assert key.read_bytes() == first  # reused, not regenerated


def test_production_without_secret_key_says_what_to_do(tmp_path: Path) -> None:
    line = one_sentence_error(sigap("check", env={"SIGAP_VAR_DIR": str(tmp_path), "SIGAP_PRODUCTION": "1"}))
    assert "SIGAP_SECRET_KEY" in line


def test_production_without_hosts_says_what_to_do(tmp_path: Path) -> None:
    env = {
        "SIGAP_VAR_DIR": str(tmp_path),
        "SIGAP_PRODUCTION": "1",
        "SIGAP_SECRET_KEY": "x" * 60,
        "SIGAP_MASTER_KEY": base64.b64encode(b"k" * 32).decode(),
    }
    assert "SIGAP_ALLOWED_HOSTS" in one_sentence_error(sigap("check", env=env))


def test_bad_flag_value(tmp_path: Path) -> None:
    line = one_sentence_error(sigap("check", env={"SIGAP_VAR_DIR": str(tmp_path), "SIGAP_DEBUG": "maybe"}))
    assert "SIGAP_DEBUG" in line


def test_unknown_database_scheme(tmp_path: Path) -> None:
    line = one_sentence_error(
        sigap("check", env={"SIGAP_VAR_DIR": str(tmp_path), "DATABASE_URL": "mysql://root@127.0.0.1/x"})
    )
    assert "DATABASE_URL" in line


def test_unreachable_database(tmp_path: Path) -> None:
    env = {"SIGAP_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing"}
    line = one_sentence_error(sigap("migrate", env=env))
    assert "Cannot reach the database" in line


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        "SIGAP_VAR_DIR": str(tmp_path),
        "SIGAP_PRODUCTION": "1",
        "SIGAP_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "SIGAP_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "SIGAP_ALLOWED_HOSTS": "wbs.example.go.id",
    }
    result = sigap("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = sigap("shell", "-c", code, env={"SIGAP_VAR_DIR": str(tmp_path)})
    assert result.stdout.strip().endswith("False")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="needs 3.12")
def test_find_python_prints_a_312_interpreter() -> None:
    result = subprocess.run([str(ROOT / "scripts" / "find-python")], capture_output=True, text=True)
    assert result.returncode == 0
    version = subprocess.run(
        [result.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
    ).stdout
    assert version.strip() == "(3, 12)"


def test_a_database_without_tables_says_to_migrate(tmp_path: Path) -> None:
    env = {"SIGAP_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    line = one_sentence_error(sigap("triage", "train", "--instansi", "x", env=env))
    assert "sigap migrate" in line
