"""Real servers for the tests at scale: Postgres (Debian's package) as the lake's catalog and
Airflow's metadata, Redis (Debian's package) as the Celery broker, and an S3-compatible server
(moto's, from PyPI) for the lake's files, the landing area and the models."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSWORD = "lake-test-password"  # noqa: S105 - a throw-away cluster on 127.0.0.1


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str = "stepback"
    database: str = "lake"

    @property
    def catalog(self) -> str:
        return f"postgres:dbname={self.database} host=127.0.0.1 port={self.port} user={self.user}"


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"{name} not found: install Debian's postgresql (make test does)")
    return found


def _as_postgres_user(command: list[str]) -> list[str]:
    """Postgres refuses to run as root; CI runs as root."""
    if os.geteuid() != 0:
        return command
    pwd.getpwnam("postgres")
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server(port: int, extra_databases: tuple[str, ...] = ()) -> Iterator[Postgres]:
    root = Path(tempfile.mkdtemp(prefix="stepback-pg-"))
    data, socket_dir, password_file = root / "data", root / "run", root / "password"
    socket_dir.mkdir()
    password_file.write_text(PASSWORD, "utf-8")
    if os.geteuid() == 0:
        record = pwd.getpwnam("postgres")
        for path in (root, socket_dir, password_file):
            os.chown(path, record.pw_uid, record.pw_gid)
    server = Postgres(port)
    subprocess.run(_as_postgres_user([
        _binary("initdb"), "-D", str(data), "-U", server.user, "--auth=scram-sha-256",
        f"--pwfile={password_file}", "--encoding=UTF8"]), check=True, capture_output=True)
    options = f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres_user([
        _binary("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w",
        "start"]), check=True, capture_output=True)
    try:
        env = os.environ | {"PGPASSWORD": PASSWORD}
        for database in (server.database, *extra_databases):
            subprocess.run([_binary("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                            server.user, database], check=True, capture_output=True, env=env)
        yield server
    finally:
        subprocess.run(_as_postgres_user([_binary("pg_ctl"), "-D", str(data), "-m", "immediate",
                                          "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class S3:
    endpoint: str
    bucket: str = "stepback-lake"
    key_id: str = "test-key"
    secret: str = "test-secret"  # noqa: S105 - moto accepts any keys
    server: Any = field(default=None, compare=False, repr=False)

    def stop(self) -> None:
        """Stop the server and close its socket now (a fault in the middle of a run): clients
        are refused at once. Stopping again is harmless."""
        wsgi = getattr(self.server, "_server", None)
        if wsgi is not None:
            self.server.stop()
            wsgi.server_close()
            self.server._server = None

    def environment(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": self.key_id, "AWS_SECRET_ACCESS_KEY": self.secret,
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint}

    def keys(self) -> list[str]:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id=self.key_id, aws_secret_access_key=self.secret)
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@contextmanager
def s3_server(port: int) -> Iterator[S3]:
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    store = S3(f"http://127.0.0.1:{port}", server=server)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                boto3.client("s3", endpoint_url=store.endpoint, region_name="us-east-1",
                             aws_access_key_id=store.key_id,
                             aws_secret_access_key=store.secret).create_bucket(
                    Bucket=store.bucket)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield store
    finally:
        store.stop()


@contextmanager
def redis_server(port: int) -> Iterator[str]:
    """Debian's redis-server on 127.0.0.1, nothing written to disk; yields its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise RuntimeError("redis-server not found: install Debian's redis-server "
                           "(make test-distributed does)")
    root = Path(tempfile.mkdtemp(prefix="stepback-redis-"))
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(root)],
        stdout=(root / "log").open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {(root / 'log').read_text()}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(root, ignore_errors=True)
