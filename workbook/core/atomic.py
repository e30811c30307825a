"""Atomic file writes: a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "temporary_path"]


def temporary_path(target: Path) -> Path:
    """A fresh hidden file beside ``target`` (same folder, so the final rename is atomic).

    It keeps ``target``'s suffix (tools such as papermill check it) and ordinary permissions.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(handle)
    os.chmod(name, 0o644)
    return Path(name)


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place."""
    target = Path(target)
    temp = temporary_path(target)
    try:
        with open(temp, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(target, text.encode("utf-8"))
