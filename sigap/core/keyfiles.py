"""Key files under var/: created once with 0600 permissions, then read."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def load_or_create_key(path: Path, *, nbytes: int = 32) -> bytes:
    """Returns the key stored at `path`, creating it (random, mode 0600) when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except PermissionError as exc:
        raise ImproperlyConfigured(
            f"Cannot read the key file {path}: give this user read access to it."
        ) from exc
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(nbytes)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another process created it first
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot create the key file {path}: make its folder writable or set SIGAP_VAR_DIR."
        ) from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
