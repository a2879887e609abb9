"""Signed results in an S3-compatible bucket (a real local S3 server, moto's), and the throttle of verification."""

from __future__ import annotations

import hashlib
import uuid

import boto3
import pytest
from results_helpers import approved

from tests.deploy.services import moto_s3


@pytest.fixture(scope="module")
def s3_url(tmp_path_factory):
    with moto_s3(tmp_path_factory.mktemp("moto")) as url:
        yield url


def test_results_are_stored_in_the_bucket_and_served_from_it(desk, signed_app, s3_url, monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    bucket = f"motcua-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_url)
    client.create_bucket(Bucket=bucket)
    signed_app.config.update(STORAGE_BACKEND="s3", S3_BUCKET=bucket, S3_ENDPOINT_URL=s3_url, S3_PREFIX="tinh-x")
    result = approved(desk)["results"][0]
    digest = result["sha256"]
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [f"tinh-x/results/{digest[:2]}/{digest[2:4]}/{digest}"]
    download = desk.client.get(result["url"], headers=desk.headers("reception"))
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == digest


@pytest.mark.app_config(VERIFY_RATE_LIMIT="2 per minute")
def test_verification_is_throttled_per_address(client):
    answers = [client.post("/api/v1/verify", data=b"%PDF-1.7\n", headers={"Content-Type": "application/pdf"})
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].get_json()["error"]["code"]
