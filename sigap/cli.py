"""The `sigap` command: the project's manage.py, with one-sentence errors instead of tracebacks."""

from __future__ import annotations

import os
import sys

FRIENDLY = {
    "OperationalError": "Cannot reach the database ({detail}): start it, or fix DATABASE_URL.",
    "ImproperlyConfigured": "{detail}",
}


def _command_name(argv: list[str]) -> list[str]:
    # `sigap demo-data` is the `demo_data` management command.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv = [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    if sys.version_info[:2] < (3, 12):  # noqa: UP036 - an old interpreter must get a sentence
        sys.exit("SIGAP needs Python 3.12 or newer: run it from the .venv that `make install` builds.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    argv = _command_name(list(sys.argv if argv is None else argv))
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError
    except ImportError:
        sys.exit("Django is not installed: run `make install` first.")
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"sigap: {exc}")
    except OperationalError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
            sys.exit(f"sigap: The database has no SIGAP tables yet ({detail}): run `sigap migrate`.")
        sys.exit(f"sigap: Cannot reach the database ({detail}): start it, or fix DATABASE_URL.")


if __name__ == "__main__":
    main()
