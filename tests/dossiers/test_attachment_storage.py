"""Issue 14 item 5: uploads behind one storage interface (core.storage), on the filesystem by default and in an
S3-compatible bucket with STORAGE_BACKEND=s3, tested against a real local S3 server (moto's)."""

from __future__ import annotations

import hashlib
import io
import uuid

import boto3
import pytest
from lifecycle_helpers import PLUGINS, create

from core import create_app
from core.config import ConfigError
from tests.deploy.services import moto_s3

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SHARED = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "WTF_CSRF_ENABLED", "INSTALLED_PLUGINS",
          "STORAGE_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX", "SERVER_NAME")


@pytest.fixture(scope="module")
def s3_url(tmp_path_factory):
    with moto_s3(tmp_path_factory.mktemp("moto")) as url:
        yield url


@pytest.fixture
def bucket(s3_url, monkeypatch):
    """A fresh bucket on the local S3 server; the credentials come from the standard AWS variables."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"motcua-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_url)
    client.create_bucket(Bucket=name)
    return client, name


@pytest.fixture
def s3_world(world, bucket, s3_url):
    _client, name = bucket
    world.app.config.update(STORAGE_BACKEND="s3", S3_BUCKET=name, S3_ENDPOINT_URL=s3_url, S3_PREFIX="tinh-x")
    return world


def _upload(world, code, content=PDF, client=None):
    return (client or world.client).post(f"/api/v1/dossiers/{code}/attachments", headers=world.h("tn.a"),
                                         data={"file": (io.BytesIO(content), "scan.pdf", "application/pdf")},
                                         content_type="multipart/form-data")


def _objects(bucket) -> list[str]:
    client, name = bucket
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", []))


def test_uploads_go_to_the_bucket_and_any_node_serves_them(s3_world, bucket, tmp_path):
    code = create(s3_world).get_json()["code"]
    response = _upload(s3_world, code)
    assert response.status_code == 201, response.get_json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert _objects(bucket) == [f"tinh-x/uploads/{digest[:2]}/{digest[2:4]}/{digest}"]
    assert not (tmp_path / "uploads").exists()  # nothing on this node's disk
    url = response.get_json()["url"]
    with s3_world.client.get(url, headers=s3_world.h("tn.a")) as download:
        assert download.status_code == 200 and download.data == PDF
        assert download.headers["Content-Type"] == "application/pdf"

    # Another node (its own process settings, an empty upload folder) serves the same file from the bucket.
    other = create_app({**{k: s3_world.app.config[k] for k in SHARED}, "UPLOAD_DIR": str(tmp_path / "other")})
    with other.test_client().get(url, headers=s3_world.h("tn.a")) as download:
        assert download.data == PDF
    # The same scan on another dossier is stored once.
    second = create(s3_world).get_json()["code"]
    assert _upload(s3_world, second, client=other.test_client()).status_code == 201
    assert len(_objects(bucket)) == 1


def test_a_missing_object_is_404_and_healthz_names_the_storage(s3_world, bucket):
    code = create(s3_world).get_json()["code"]
    url = _upload(s3_world, code).get_json()["url"]
    client, name = bucket
    for key in _objects(bucket):
        client.delete_object(Bucket=name, Key=key)
    response = s3_world.client.get(url, headers=s3_world.h("tn.a"))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert s3_world.client.get("/healthz").get_json()["checks"]["uploads"] == "ok"
    client.delete_bucket(Bucket=name)
    health = s3_world.client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["failed"] == ["uploads"]


def test_a_failed_transaction_removes_the_object_it_wrote(s3_world, bucket, monkeypatch):
    from core.dossiers import services

    code = create(s3_world).get_json()["code"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("history write failed")

    monkeypatch.setattr(services, "_after_event", broken)  # the transaction fails after the file was stored
    assert _upload(s3_world, code).status_code == 500
    assert _objects(bucket) == []


def test_the_filesystem_backend_keeps_the_existing_layout(world, tmp_path):
    """Files stored before the storage interface existed (UPLOAD_DIR/ab/cd/<sha256>) are still served."""
    code = create(world).get_json()["code"]
    url = _upload(world, code).get_json()["url"]
    digest = hashlib.sha256(PDF).hexdigest()
    stored = tmp_path / "uploads" / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == PDF
    stored.write_bytes(PDF)  # as an older release left it
    with world.client.get(url, headers=world.h("tn.a")) as download:
        assert download.data == PDF


@pytest.mark.parametrize("settings,message", [
    ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND='ftp' is not one of: filesystem, s3"),
    ({"STORAGE_BACKEND": "s3", "S3_BUCKET": ""}, "STORAGE_BACKEND=s3 needs S3_BUCKET"),
])
def test_a_wrong_storage_setting_refuses_to_start(app, settings, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        create_app({**{k: app.config[k] for k in SHARED if k not in settings}, **settings})


def test_a_backup_with_the_s3_backend_holds_the_database_and_says_the_files_stay_in_the_bucket(s3_world, tmp_path):
    import json

    code = create(s3_world).get_json()["code"]
    assert _upload(s3_world, code).status_code == 201
    result = s3_world.app.test_cli_runner().invoke(args=["backup", "create", "--output", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    assert "STORAGE_BACKEND=s3: the files stay in the bucket" in result.output
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["folders"] == {} and manifest["database"]["tables"]["attachments"] == 1
    assert not any(name.startswith("files/uploads") for name in manifest["files"])
