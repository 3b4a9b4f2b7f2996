"""Send digests through Airflow's SMTP provider: its hook opens the `smtp_default` connection."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class AirflowSmtp:
    """The hook connects, applies the connection's TLS settings and logs in (basic or OAuth2).

    The digest then sends its own prepared messages over that connection: the hook's
    `send_email_smtp` builds a new MIME message and could not carry the digest's plain-text
    part or its List-Unsubscribe headers.
    """

    conn_id: str = "smtp_default"
    timeout: float = 30.0

    @property
    def address(self) -> str:
        return f"of Airflow connection {self.conn_id}"

    @contextmanager
    def connect(self) -> Iterator[smtplib.SMTP]:
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        with SmtpHook(smtp_conn_id=self.conn_id) as hook:
            client = hook._smtp_client  # the hook's open client; it offers no public accessor
            if not isinstance(client, smtplib.SMTP):
                raise smtplib.SMTPException(f"SMTP hook for {self.conn_id} did not connect")
            yield client
