"""The digest's own links: signed feedback and unsubscribe URLs served by `stepback serve`."""

from __future__ import annotations

from dataclasses import dataclass

from stepback.digest.signing import LinkClaim, Signer

# What each feedback link says in the email, by the label it records.
FEEDBACK_LABELS = {"good": "Good pick", "bad": "Not for me"}


@dataclass(frozen=True)
class DigestLinks:
    base_url: str
    signer: Signer

    def feedback(self, email: str, job_key: str, label: str) -> str:
        if label not in FEEDBACK_LABELS:
            raise ValueError(f"feedback label must be good or bad, not {label!r}")
        token = self.signer.sign(LinkClaim("feedback", email, job_key, label))
        return f"{self._base}/feedback/{token}"

    def unsubscribe(self, email: str) -> str:
        return f"{self._base}/unsubscribe/{self.signer.sign(LinkClaim('unsubscribe', email))}"

    @property
    def _base(self) -> str:
        return self.base_url.rstrip("/")
