"""Where image bytes live: a small storage port and its filesystem implementation.

Services receive a storage as an argument (the HTTP edge builds one from ``MEDIA_ROOT``), so a
cloud object store can replace the filesystem later without touching them. Keys are random hex
made by :func:`new_key`; a path is built from the key alone and anything else is refused, so a
client-supplied name can never steer a write or read outside the root.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    """A fresh random storage key (128 bits, lowercase hex)."""
    return secrets.token_hex(16)


class MediaStorage(Protocol):
    """Blob storage by key. ``get`` raises FileNotFoundError for an unknown key."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class FileSystemStorage:
    """Files under ``root/<first two hex digits>/<key>``, written atomically."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError("invalid media storage key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        """Write ``data`` to a temporary file beside the target, fsync it, then rename it in.

        Readers see either no file or the whole file, never a partial one.
        """
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_directory(path.parent)

    def get(self, key: str) -> bytes:
        return self.path_for(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is; not every platform allows it.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
