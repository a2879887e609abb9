"""Files in a local (or shared, e.g. NFS) folder: ``<root>/<key>``, written by an atomic rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from core.storage.keys import check_key


class FilesystemStorage:
    name = "filesystem"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, source: str) -> bool:
        final = self.path(key)
        if final.exists():
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        # Copy next to the target first, then rename: readers on any node see the whole file or none.
        handle, temp_name = tempfile.mkstemp(dir=self.root / "tmp")
        try:
            with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
            os.chmod(temp_name, 0o640)
            os.replace(temp_name, final)
        finally:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
        return True

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def download_source(self, key: str):
        path = self.path(key)
        return path if path.is_file() else None

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                      if p.is_file() and p.relative_to(self.root).parts[0] != "tmp")

    def available(self) -> bool:
        # The folder is created on the first upload: check the nearest existing ancestor.
        path = os.path.abspath(self.root)
        while not os.path.exists(path):
            parent = os.path.dirname(path)
            if parent == path:
                return False
            path = parent
        return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)
