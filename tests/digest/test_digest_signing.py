"""Signed link tokens: round trip, tampering, the shared secret, and links in the email."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from stepback.digest.links import DigestLinks
from stepback.digest.signing import BadToken, LinkClaim, Signer, load_secret

SIGNER = Signer(b"k" * 32)
CLAIM = LinkClaim("feedback", "andrea@example.com", "job-1", "good")


def test_a_signed_claim_verifies_to_itself() -> None:
    token = SIGNER.sign(CLAIM)
    assert SIGNER.verify(token, "feedback") == CLAIM
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def _reforged(token: str, **changes: str) -> str:
    """The same signature over a payload with other fields: a replay for someone else."""
    payload, signature = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    names = ["action", "email", "job_key", "label"]
    fields = [changes.get(name, value) for name, value in zip(names, fields, strict=True)]
    body = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
    return f"{body}.{signature}"


@pytest.mark.parametrize(
    "changes",
    [{"email": "bo@example.com"}, {"job_key": "job-2"}, {"label": "bad"},
     {"action": "unsubscribe"}],
)
def test_changing_any_field_breaks_the_signature(changes: dict[str, str]) -> None:
    with pytest.raises(BadToken, match="signature"):
        SIGNER.verify(_reforged(SIGNER.sign(CLAIM), **changes), "feedback")


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "!!.??", "x" * 5000, "e30.AAAA"])
def test_garbage_is_rejected(token: str) -> None:
    with pytest.raises(BadToken):
        SIGNER.verify(token, "feedback")


def test_other_secret_or_other_action_is_rejected() -> None:
    token = SIGNER.sign(CLAIM)
    with pytest.raises(BadToken, match="signature"):
        Signer(b"z" * 32).verify(token, "feedback")
    with pytest.raises(BadToken, match="not a unsubscribe link"):
        SIGNER.verify(token, "unsubscribe")


def test_secret_is_made_once_private_and_env_overrides(tmp_path: Path) -> None:
    first = load_secret(tmp_path / "data", env={})
    again = load_secret(tmp_path / "data", env={})
    path = tmp_path / "data" / "link-secret"
    assert first == again and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["link-secret"]
    assert load_secret(tmp_path / "data", env={"STEPBACK_LINK_SECRET": "x" * 20}) == b"x" * 20


def test_email_carries_signed_feedback_and_unsubscribe_links(
    render, make_subscriber, make_item
) -> None:
    links = DigestLinks("http://127.0.0.1:8766/", SIGNER)
    message = render(make_subscriber(), [make_item(1, job_key="job-1"), make_item(2)],
                     links=links)
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()

    good = links.feedback("andrea@example.com", "job-1", "good")
    bad = links.feedback("andrea@example.com", "job-1", "bad")
    unsubscribe = links.unsubscribe("andrea@example.com")
    assert good.startswith("http://127.0.0.1:8766/feedback/") and good != bad
    for body in (html, text):
        assert good in body and bad in body and unsubscribe in body
        assert body.count("/feedback/") == 2, "no feedback links for an item without a job key"
    assert "Good pick" in html and "Not for me" in html
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SIGNER.verify(unsubscribe.rsplit("/", 1)[1], "unsubscribe").email == (
        "andrea@example.com")
