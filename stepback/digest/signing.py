"""Signed link tokens: a feedback or unsubscribe link names its subscriber, job and verdict.

A token is `<payload>.<signature>`, both base64url: the payload is a JSON list
`[action, email, job_key, label]`; the signature is HMAC-SHA256 over the payload with a secret
only the server knows. Changing any part (another subscriber, job, label or action) breaks the
signature, so a link cannot be forged or replayed for someone else. Replaying one's own link
only records the same verdict again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Action = Literal["feedback", "unsubscribe"]
ACTIONS: tuple[Action, ...] = ("feedback", "unsubscribe")
SECRET_ENV = "STEPBACK_LINK_SECRET"
SECRET_FILE = "link-secret"
_CONTEXT = b"stepback-link-v1\x00"
_SIGNATURE_BYTES = 16
_MAX_TOKEN = 2048


class BadToken(ValueError):
    """The token was not made by this server, or was changed."""


@dataclass(frozen=True)
class LinkClaim:
    action: Action
    email: str
    job_key: str = ""
    label: str = ""


@dataclass(frozen=True)
class Signer:
    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < 16:
            raise ValueError("link secret must be at least 16 bytes")

    def sign(self, claim: LinkClaim) -> str:
        body = json.dumps([claim.action, claim.email, claim.job_key, claim.label],
                          separators=(",", ":"), ensure_ascii=True).encode()
        payload = _b64(body)
        return f"{payload}.{_b64(self._mac(payload))}"

    def verify(self, token: str, action: Action) -> LinkClaim:
        if len(token) > _MAX_TOKEN or token.count(".") != 1:
            raise BadToken("malformed link")
        payload, signature = token.split(".")
        try:
            given = _unb64(signature)
        except (ValueError, binascii.Error):
            raise BadToken("malformed link") from None
        if not hmac.compare_digest(given, self._mac(payload)):
            raise BadToken("link signature does not match")
        try:
            fields = json.loads(_unb64(payload))
        except (ValueError, binascii.Error):
            raise BadToken("malformed link") from None
        if not (isinstance(fields, list) and len(fields) == 4
                and all(isinstance(f, str) for f in fields)):
            raise BadToken("malformed link")
        if fields[0] != action:
            raise BadToken(f"not a {action} link")
        return LinkClaim(action, fields[1], fields[2], fields[3])

    def _mac(self, payload: str) -> bytes:
        digest = hmac.new(self.secret, _CONTEXT + payload.encode(), hashlib.sha256).digest()
        return digest[:_SIGNATURE_BYTES]


def load_secret(data_dir: Path, env: Mapping[str, str] | None = None) -> bytes:
    """`STEPBACK_LINK_SECRET` when set, else `<data dir>/link-secret`, created once (mode 600).

    Every process that renders or checks links must see the same secret: the DAG, the CLI and
    `stepback serve` share the data directory, or the variable.
    """
    env = os.environ if env is None else env
    if env.get(SECRET_ENV):
        return env[SECRET_ENV].encode("utf-8")
    path = Path(data_dir) / SECRET_FILE
    if path.exists():
        return _read_secret(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: two first runs never see a half-written file.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{SECRET_FILE}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    secret = path.read_text(encoding="ascii").strip().encode()
    if len(secret) < 16:
        raise ValueError(f"{path.name} holds no usable secret; delete it to make a new one")
    return secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or any(c not in _ALPHABET for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
