"""Files on S3 (or an S3-compatible server such as MinIO): the landing area and the model store
at scale.

Keys come from the environment only: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with
AWS_REGION and AWS_ENDPOINT_URL for S3-compatible servers (the same variables the lake's data
files use). One PUT is atomic: a reader sees an object whole or not at all, which is what
publishing a finished file relies on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ObjectStoreError(RuntimeError):
    """S3 could not be reached or refused a request, said in one line."""


def is_s3(url: str) -> bool:
    return url.startswith("s3://")


def check_location(url: str, what: str) -> str:
    """A local directory or s3://bucket/prefix/ (the prefix always ends with a slash)."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"{what} must be a directory or s3://bucket/prefix/, got {url!r}")
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Location:
    bucket: str
    prefix: str

    @classmethod
    def parse(cls, url: str) -> Location:
        parts = urlsplit(check_location(url, "location"))
        return cls(parts.netloc, parts.path.lstrip("/"))

    def key(self, relative: str) -> str:
        return self.prefix + relative


@dataclass(frozen=True)
class Mirror:
    """A prefix of a bucket (`url`) and this machine's copy of it (`local`)."""

    url: str
    local: Path

    @property
    def location(self) -> Location:
        return Location.parse(self.url)


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime


@lru_cache(maxsize=1)
def _client(endpoint: str | None, region: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=region)


def client() -> Any:
    if not os.environ.get("AWS_ACCESS_KEY_ID") or not os.environ.get("AWS_SECRET_ACCESS_KEY"):
        raise ObjectStoreError(
            "S3 storage needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
    return _client(os.environ.get("AWS_ENDPOINT_URL") or None,
                   os.environ.get("AWS_REGION", "us-east-1"))


def _failed(action: str, exc: Exception) -> ObjectStoreError:
    return ObjectStoreError(f"S3 {action} failed: {str(exc).splitlines()[0][:300]}")


def ensure_bucket(url: str) -> bool:
    """Create the bucket of an s3:// URL when it does not exist; True when it was created."""
    from botocore.exceptions import BotoCoreError, ClientError

    location = Location.parse(url)
    s3 = client()
    try:
        s3.head_bucket(Bucket=location.bucket)
        return False
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise _failed(f"head_bucket {location.bucket}", exc) from exc
    except BotoCoreError as exc:
        raise _failed(f"head_bucket {location.bucket}", exc) from exc
    try:
        s3.create_bucket(Bucket=location.bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in (
                "BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise _failed(f"create_bucket {location.bucket}", exc) from exc
    return True


def listing(location: Location, under: str = "") -> Iterator[StoredObject]:
    from botocore.exceptions import BotoCoreError, ClientError

    pages = client().get_paginator("list_objects_v2").paginate(
        Bucket=location.bucket, Prefix=location.key(under))
    try:
        for page in pages:
            for item in page.get("Contents", []):
                yield StoredObject(item["Key"], int(item["Size"]), item["LastModified"])
    except (BotoCoreError, ClientError) as exc:
        raise _failed(f"list s3://{location.bucket}/{location.key(under)}", exc) from exc


def upload(path: Path, location: Location, key: str) -> datetime:
    """Put one file (one request, so readers see it whole); returns its LastModified."""
    from botocore.exceptions import BotoCoreError, ClientError

    s3 = client()
    try:
        with path.open("rb") as handle:
            s3.put_object(Bucket=location.bucket, Key=key, Body=handle)
        return s3.head_object(Bucket=location.bucket, Key=key)["LastModified"]
    except (BotoCoreError, ClientError, OSError) as exc:
        raise _failed(f"upload of {path.name} to s3://{location.bucket}/{key}", exc) from exc


def read_text(location: Location, key: str) -> str | None:
    """A small object's text, or None when there is no such object."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        body = client().get_object(Bucket=location.bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise _failed(f"get s3://{location.bucket}/{key}", exc) from exc
    except BotoCoreError as exc:
        raise _failed(f"get s3://{location.bucket}/{key}", exc) from exc
    return body.decode("utf-8")


def download(location: Location, item: StoredObject, dest: Path) -> None:
    """Fetch under a temporary name and rename: a reader of `dest` never sees half a file.
    The file's mtime becomes the object's LastModified, so local order is publish order."""
    from botocore.exceptions import BotoCoreError, ClientError

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            client().download_fileobj(location.bucket, item.key, handle)
        stamp = item.modified.timestamp()
        os.utime(temporary, (stamp, stamp))
        os.replace(temporary, dest)
    except (BotoCoreError, ClientError, OSError) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _failed(f"download of s3://{location.bucket}/{item.key}", exc) from exc
