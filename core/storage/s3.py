"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …) through boto3: ``<S3_PREFIX><area>/<key>``."""

from __future__ import annotations

from typing import BinaryIO

from core.storage.keys import check_key


class S3Storage:
    name = "s3"

    def __init__(self, client, bucket: str, prefix: str):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    @classmethod
    def from_config(cls, config, area: str) -> S3Storage:
        import boto3
        from botocore.config import Config

        # Credentials and region: boto3's standard chain (AWS_* environment variables, ~/.aws, instance roles).
        client = boto3.client("s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None,
                              config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                            connect_timeout=5, read_timeout=30))
        prefix = (config.get("S3_PREFIX") or "").strip("/")
        return cls(client, config["S3_BUCKET"], f"{prefix}/{area}/" if prefix else f"{area}/")

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _missing(self, error) -> bool:
        return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
            return True
        except ClientError as error:
            if self._missing(error):
                return False
            raise

    def put(self, key: str, source: str) -> bool:
        # Keys are content hashes: an object already there holds the same bytes.
        if self.exists(key):
            return False
        self.client.upload_file(source, self.bucket, self._name(key))
        return True

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(key) from None
            raise

    def download_source(self, key: str):
        try:
            return self.open(key)
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self) -> list[str]:
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            found += [item["Key"][len(self.prefix):] for item in page.get("Contents", [])]
        return sorted(found)

    def available(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return True
        except Exception:  # unreachable, refused or missing: not healthy, the caller reports it
            return False
