"""Where stored files live: uploaded scans ("uploads") and signed results ("results"), behind one interface.

``STORAGE_BACKEND`` chooses the backend for every area:

- ``filesystem`` (default): ``UPLOAD_DIR`` and ``RESULTS_DIR``, the layout the application always had, so existing
  files keep working. Several nodes need the folders on a shared mount (NFS).
- ``s3``: an S3-compatible bucket (``S3_BUCKET``, ``S3_ENDPOINT_URL`` for a non-AWS service, ``S3_PREFIX``), keys
  ``<S3_PREFIX><area>/<key>``; credentials and region come from boto3's standard sources (``AWS_ACCESS_KEY_ID``,
  ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``, instance roles).

Keys are relative POSIX paths such as ``ab/cd/<sha256>``. Files are written whole from a local temporary file, so
a reader never sees half a file.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from flask import current_app

AREAS = ("uploads", "results")
BACKENDS = ("filesystem", "s3")


class StorageError(RuntimeError):
    """The storage is misconfigured or unreachable; the message says which."""


class Storage(Protocol):
    name: str

    def put(self, key: str, source: str) -> bool:
        """Store the local file ``source`` under ``key`` unless a file is already there; True when written."""

    def exists(self, key: str) -> bool: ...

    def download_source(self, key: str):
        """What ``flask.send_file`` takes for the file (a path or an open binary stream), or None when missing."""

    def open(self, key: str) -> BinaryIO:
        """The file for reading; FileNotFoundError when missing."""

    def delete(self, key: str) -> None: ...

    def keys(self) -> list[str]: ...

    def available(self) -> bool:
        """Whether files can be written now (for /healthz)."""


def backend_name(config=None) -> str:
    config = config if config is not None else current_app.config
    return (config.get("STORAGE_BACKEND") or "filesystem").strip().lower()


def check_settings(config) -> None:
    """Refuse to start with an unknown backend or an S3 backend without a bucket."""
    from core.config import ConfigError

    name = backend_name(config)
    if name not in BACKENDS:
        raise ConfigError(f"STORAGE_BACKEND={name!r} is not one of: {', '.join(BACKENDS)}.")
    if name == "s3" and not config.get("S3_BUCKET"):
        raise ConfigError("STORAGE_BACKEND=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a service other than AWS).")


def storage(area: str) -> Storage:
    """The storage of ``area`` ("uploads" or "results") under the current application's settings."""
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}")
    config = current_app.config
    if backend_name() == "s3":
        from core.storage.s3 import S3Storage

        # A boto3 client is costly to build and safe to share between threads: one per app and settings.
        cache = current_app.extensions.setdefault("motcua_storage", {})
        settings = (area, config.get("S3_BUCKET"), config.get("S3_ENDPOINT_URL"), config.get("S3_PREFIX"))
        if settings not in cache:
            cache[settings] = S3Storage.from_config(config, area)
        return cache[settings]
    from core.storage.filesystem import FilesystemStorage

    return FilesystemStorage(_folder(area))


def _folder(area: str) -> str:
    folder = current_app.config.get("UPLOAD_DIR" if area == "uploads" else "RESULTS_DIR")
    if not folder:
        raise StorageError(f"{area}: no folder is configured ({'UPLOAD_DIR' if area == 'uploads' else 'RESULTS_DIR'})")
    return folder
