"""Evidence storage by content hash: local folder and S3 (moto), same behaviour."""

from __future__ import annotations

import hashlib
import io
import os

import boto3
import pytest
from moto import mock_aws

from judging.io.files import storage
from judging.io.files.storage import (
    EvidenceStore,
    InvalidKey,
    LocalStore,
    MissingEvidence,
    S3Store,
    shard_path,
    store_from_config,
)

BUCKET = "juara-bukti"
DATA = b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n"
KEY = hashlib.sha256(DATA).hexdigest()
BAD_KEYS = [
    "../../etc/passwd",
    "../" + "0" * 61,
    "A" * 64,
    "0" * 63,
    "0" * 65,
    "0" * 64 + "\n",
    "g" * 64,
    "/" + "0" * 63,
    "",
    None,
    123,
]


class BreaksAfter(io.BytesIO):
    """A stream that fails once more than ``budget`` bytes have been read in total."""

    def __init__(self, data: bytes, budget: int) -> None:
        super().__init__(data)
        self.budget = budget

    def read(self, size=-1):
        chunk = super().read(size)
        self.budget -= len(chunk)
        if self.budget < 0:
            raise OSError("connection reset by peer")
        return chunk


class Pipe(io.RawIOBase):
    """A readable, unseekable stream, like a socket."""

    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def everything_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.fixture
def aws(monkeypatch, tmp_path):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def object_names(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


# Keys


def test_shard_path_spreads_by_hash_prefix():
    assert shard_path(KEY) == f"{KEY[:2]}/{KEY[2:4]}/{KEY}"


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused(key):
    with pytest.raises(InvalidKey):
        shard_path(key)


# Local folder


def test_local_put_stores_under_the_content_hash(tmp_path):
    store = LocalStore(tmp_path / "uploads")
    assert isinstance(store, EvidenceStore)
    key = store.put(io.BytesIO(DATA))
    assert key == KEY
    assert (tmp_path / "uploads" / KEY[:2] / KEY[2:4] / KEY).read_bytes() == DATA
    assert everything_under(tmp_path / "uploads") == [
        KEY[:2], f"{KEY[:2]}/{KEY[2:4]}", f"{KEY[:2]}/{KEY[2:4]}/{KEY}"]
    assert store.exists(key) and store.size(key) == len(DATA)
    with store.open(key) as stored:
        assert stored.read() == DATA


def test_local_put_accepts_a_path_and_an_unseekable_stream(tmp_path):
    source = tmp_path / "source.pdf"
    source.write_bytes(DATA)
    store = LocalStore(tmp_path / "uploads")
    assert store.put(source) == KEY
    assert store.put(str(source)) == KEY
    assert store.put(Pipe(DATA)) == KEY


def test_local_put_reads_a_stream_from_its_position(tmp_path):
    stream = io.BytesIO(b"xyz" + DATA)
    stream.seek(3)
    assert LocalStore(tmp_path).put(stream) == KEY


def test_local_same_content_twice_is_a_no_op(tmp_path):
    store = LocalStore(tmp_path)
    store.put(io.BytesIO(DATA))
    stored = tmp_path / shard_path(KEY)
    before = stored.stat()
    assert store.put(io.BytesIO(DATA)) == KEY
    after = stored.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1


def test_local_failure_mid_write_leaves_nothing(tmp_path):
    root = tmp_path / "uploads"
    store = LocalStore(root)
    big = os.urandom(3 * storage.CHUNK)
    with pytest.raises(OSError, match="connection reset"):
        store.put(BreaksAfter(big, budget=2 * storage.CHUNK))
    assert everything_under(root) == []


def test_local_failure_at_rename_leaves_nothing_and_keeps_earlier_files(tmp_path, monkeypatch):
    root = tmp_path / "uploads"
    store = LocalStore(root)
    store.put(io.BytesIO(DATA))
    earlier = everything_under(root)

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.put(io.BytesIO(b"another file"))
    assert everything_under(root) == earlier
    with store.open(KEY) as stored:
        assert stored.read() == DATA


def test_local_delete_and_missing(tmp_path):
    store = LocalStore(tmp_path)
    key = store.put(io.BytesIO(DATA))
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(MissingEvidence):
        store.open(key)
    with pytest.raises(MissingEvidence):
        store.size(key)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_local_bad_keys_never_touch_the_disk(tmp_path, key):
    secret = tmp_path / "secret"
    secret.write_text("rahasia")
    store = LocalStore(tmp_path / "uploads")
    for action in (store.open, store.exists, store.delete, store.size):
        with pytest.raises(InvalidKey):
            action(key)
    assert secret.read_text() == "rahasia"


# S3 (moto)


def test_s3_put_open_size_delete(aws):
    store = S3Store(BUCKET, client=aws)
    assert isinstance(store, EvidenceStore)
    assert store.put(io.BytesIO(DATA)) == KEY
    assert object_names(aws) == [f"evidence/{KEY[:2]}/{KEY[2:4]}/{KEY}"]
    assert store.exists(KEY) and store.size(KEY) == len(DATA)
    body = store.open(KEY)
    assert body.read() == DATA
    body.close()
    store.delete(KEY)
    store.delete(KEY)
    assert not store.exists(KEY)
    assert object_names(aws) == []


def test_s3_same_content_twice_uploads_once(aws, monkeypatch, tmp_path):
    store = S3Store(BUCKET, client=aws)
    uploads = []
    real_upload = aws.upload_fileobj

    def counting_upload(*args, **kwargs):
        uploads.append(args[2])
        return real_upload(*args, **kwargs)

    monkeypatch.setattr(aws, "upload_fileobj", counting_upload)
    source = tmp_path / "bukti.pdf"
    source.write_bytes(DATA)
    assert store.put(io.BytesIO(DATA)) == KEY
    assert store.put(source) == KEY
    assert store.put(Pipe(DATA)) == KEY
    assert len(uploads) == 1
    assert len(object_names(aws)) == 1


def test_s3_prefix_is_normalised(aws):
    S3Store(BUCKET, prefix="/tenant-a/bukti", client=aws).put(io.BytesIO(DATA))
    S3Store(BUCKET, prefix="", client=aws).put(io.BytesIO(DATA))
    assert object_names(aws) == [
        f"{KEY[:2]}/{KEY[2:4]}/{KEY}", f"tenant-a/bukti/{KEY[:2]}/{KEY[2:4]}/{KEY}"]


def test_s3_failed_upload_leaves_nothing(aws):
    store = S3Store(BUCKET, client=aws)
    big = os.urandom(9 * storage.CHUNK)  # above boto3's multipart threshold
    with pytest.raises(OSError, match="connection reset"):
        store.put(BreaksAfter(big, budget=len(big) + 2 * storage.CHUNK))
    assert object_names(aws) == []
    assert not aws.list_multipart_uploads(Bucket=BUCKET).get("Uploads")


def test_s3_missing_key(aws):
    store = S3Store(BUCKET, client=aws)
    assert not store.exists(KEY)
    with pytest.raises(MissingEvidence):
        store.open(KEY)
    with pytest.raises(MissingEvidence):
        store.size(KEY)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_s3_bad_keys_are_refused(aws, key):
    store = S3Store(BUCKET, client=aws)
    for action in (store.open, store.exists, store.delete, store.size):
        with pytest.raises(InvalidKey):
            action(key)


# Configuration


def test_config_defaults_to_local(tmp_path):
    store = store_from_config({"UPLOAD_FOLDER": str(tmp_path / "uploads")})
    assert isinstance(store, LocalStore)
    assert store.put(io.BytesIO(DATA)) == KEY
    assert (tmp_path / "uploads" / shard_path(KEY)).is_file()


def test_config_builds_an_s3_store(aws):
    store = store_from_config({
        "EVIDENCE_STORAGE": "S3",
        "S3_BUCKET": BUCKET,
        "S3_REGION": "us-east-1",
        "S3_PREFIX": "monev-2025/",
        "S3_ENDPOINT_URL": "",
        "UPLOAD_FOLDER": "/unused",
    })
    assert isinstance(store, S3Store)
    store.put(io.BytesIO(DATA))
    assert object_names(aws) == [f"monev-2025/{KEY[:2]}/{KEY[2:4]}/{KEY}"]


@pytest.mark.parametrize(("config", "message"), [
    ({"EVIDENCE_STORAGE": "local"}, "UPLOAD_FOLDER"),
    ({"EVIDENCE_STORAGE": "s3"}, "S3_BUCKET"),
    ({"EVIDENCE_STORAGE": "ftp", "UPLOAD_FOLDER": "x"}, "'local' or 's3'"),
])
def test_config_errors_are_explicit(config, message):
    with pytest.raises(ValueError, match=message):
        store_from_config(config)
