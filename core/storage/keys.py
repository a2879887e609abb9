"""Storage keys: relative POSIX paths without empty, "." or ".." parts (never outside the area)."""

from __future__ import annotations

import re

_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def check_key(key: str) -> str:
    parts = (key or "").split("/")
    if not parts or not all(_PART.fullmatch(part) for part in parts):
        raise ValueError(f"not a storage key: {key!r}")
    return key
