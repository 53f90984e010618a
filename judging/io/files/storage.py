"""Evidence files stored under their SHA-256: a local folder or S3-compatible storage.

Keys are content hashes chosen by the server, never user names, so the same file
uploaded twice is stored once, and a key is checked to be 64 hex digits before it
touches a path or an object name. Deleting is the caller's decision: several evidence
records may share one key.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO, Protocol, runtime_checkable

from botocore.exceptions import ClientError

CHUNK = 1024 * 1024
SPOOL_BYTES = 8 * CHUNK
_KEY = re.compile(r"[0-9a-f]{64}")
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}

Source = str | os.PathLike | BinaryIO


class InvalidKey(ValueError):
    """A key that is not a lowercase SHA-256 hex digest (e.g. ``../../etc/passwd``)."""


class MissingEvidence(LookupError):
    """No stored file has this key."""


@runtime_checkable
class EvidenceStore(Protocol):
    """Where evidence bytes live; the database keeps only the key."""

    def put(self, source: Source) -> str:
        """Store the bytes of a path or a stream (read from its position) and return the key."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Return a readable binary stream of the stored file."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether a file with this key is stored."""
        ...

    def delete(self, key: str) -> None:
        """Remove the file; removing a missing key is not an error."""
        ...

    def size(self, key: str) -> int:
        """Return the stored file's size in bytes."""
        ...


def validate_key(key: object) -> str:
    """Return ``key`` if it is a SHA-256 hex digest; anything else could be a path trick."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidKey(f"not an evidence key: {key!r}"[:120])
    return key


def shard_path(key: str) -> str:
    """Spread files over folders (``ab/cd/abcd…``) so none holds millions of entries."""
    validate_key(key)
    return f"{key[:2]}/{key[2:4]}/{key}"


class LocalStore:
    """Evidence in a folder on this machine (default ``instance/uploads``)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def put(self, source: Source) -> str:
        """Copy into a temporary file while hashing, then rename it into place.

        The temporary file sits in the root (same file system, so the rename is atomic)
        and is removed on any failure: a broken upload leaves no file and no folder.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".part-", dir=self.root)
        try:
            with os.fdopen(handle, "wb") as target, _reading(source) as stream:
                key = _copy(stream, target)
                target.flush()
                os.fsync(target.fileno())
            final = self.root / shard_path(key)
            if not final.exists():
                _move_into_place(temporary, final)
            return key
        finally:
            Path(temporary).unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading."""
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError as exc:
            raise MissingEvidence(key) from exc

    def exists(self, key: str) -> bool:
        """Tell whether the file is on disk."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self._path(key).unlink(missing_ok=True)

    def size(self, key: str) -> int:
        """Return the file's size on disk."""
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError as exc:
            raise MissingEvidence(key) from exc

    def _path(self, key: str) -> Path:
        return self.root / shard_path(key)


class S3Store:
    """Evidence in an S3-compatible bucket (AWS, MinIO…), shared by several app servers."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None,
                 region: str | None = None, prefix: str = "evidence/",
                 client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def put(self, source: Source) -> str:
        """Hash first (the key names the object), then upload unless already stored.

        S3 makes an object visible only once its upload completes, so a failed upload
        leaves nothing behind.
        """
        with _reading(source) as stream, _hashed(stream) as (data, key):
            if not self.exists(key):
                self.client.upload_fileobj(
                    data, self.bucket, self._name(key),
                    ExtraArgs={"ContentType": "application/octet-stream"},
                )
        return key

    def open(self, key: str) -> BinaryIO:
        """Return the object's body as a stream (not seekable)."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as exc:
            if _not_found(exc):
                raise MissingEvidence(key) from exc
            raise

    def exists(self, key: str) -> bool:
        """Ask for the object's headers; a 404 means it is not stored."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _not_found(exc):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        """Remove the object; S3 treats a missing one as already deleted."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def size(self, key: str) -> int:
        """Return the object's size from its headers."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _not_found(exc):
                raise MissingEvidence(key) from exc
            raise
        return head["ContentLength"]

    def _name(self, key: str) -> str:
        return self.prefix + shard_path(key)


def store_from_config(config: Mapping[str, Any]) -> EvidenceStore:
    """Build the store the configuration asks for (``EVIDENCE_STORAGE``: local or s3)."""
    backend = str(config.get("EVIDENCE_STORAGE") or "local").lower()
    if backend == "local":
        if not config.get("UPLOAD_FOLDER"):
            raise ValueError("UPLOAD_FOLDER must be set for local evidence storage")
        return LocalStore(config["UPLOAD_FOLDER"])
    if backend == "s3":
        if not config.get("S3_BUCKET"):
            raise ValueError("S3_BUCKET must be set for S3 evidence storage")
        return S3Store(
            config["S3_BUCKET"],
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            prefix=config.get("S3_PREFIX", "evidence/"),
        )
    raise ValueError(f"EVIDENCE_STORAGE must be 'local' or 's3', not {backend!r}")


@contextmanager
def _reading(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


@contextmanager
def _hashed(stream: BinaryIO) -> Iterator[tuple[BinaryIO, str]]:
    """Yield a stream positioned at the data's start, and the data's key.

    A seekable stream is hashed in place and rewound; any other is spooled (memory up to
    8 MB, then a temporary file) while hashing.
    """
    if stream.seekable():
        start = stream.tell()
        key = _copy(stream, None)
        stream.seek(start)
        yield stream, key
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        key = _copy(stream, spool)
        spool.seek(0)
        yield spool, key


def _copy(stream: BinaryIO, target: BinaryIO | None) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest()


def _move_into_place(temporary: str, final: Path) -> None:
    """Rename into the shard folder, removing folders made for it if the rename fails."""
    created = [folder for folder in (final.parent.parent, final.parent) if not folder.exists()]
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
    except BaseException:
        for folder in reversed(created):
            with suppress(OSError):
                folder.rmdir()
        raise
    _fsync_folder(final.parent)


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _not_found(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING_CODES
