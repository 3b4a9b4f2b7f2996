"""Where the digest goes: SMTP settings from a URL or an Airflow connection."""

from __future__ import annotations

import smtplib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_OPTIONS = frozenset({"starttls", "timeout"})


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ssl: bool = False
    starttls: bool = False
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.ssl and self.starttls:
            raise ValueError("SMTP: choose implicit TLS (smtps) or STARTTLS, not both")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


class SmtpConnector(Protocol):
    """Something that opens a ready (TLS, logged-in) SMTP connection, like Airflow's hook."""

    @property
    def address(self) -> str: ...

    @property
    def timeout(self) -> float: ...

    def connect(self) -> AbstractContextManager[smtplib.SMTP]: ...


SmtpTarget = SmtpSettings | SmtpConnector


class AirflowConnectionLike(Protocol):
    host: str | None
    port: int | None
    login: str | None
    password: str | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp://user:pass@host:port`, `smtps://…` (implicit TLS), `smtp://…?starttls=true`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"invalid SMTP URL: {_no_secret(exc)}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError(f"invalid SMTP URL: scheme must be smtp or smtps, not {scheme!r}")
    if not parts.hostname:
        raise ValueError("invalid SMTP URL: no host, expected smtp://[user:pass@]host[:port]")
    if port == 0:
        raise ValueError("invalid SMTP URL: port must be a number from 1 to 65535")
    options = _url_options(parts.query)
    starttls = _flag(options.get("starttls", "false"), "starttls")
    if scheme == "smtps" and starttls:
        raise ValueError("invalid SMTP URL: smtps already uses TLS; drop ?starttls=true")
    return SmtpSettings(
        host=parts.hostname,
        port=port or _default_port(ssl=scheme == "smtps", starttls=starttls),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        ssl=scheme == "smtps",
        starttls=starttls,
        timeout=_timeout(options.get("timeout", "30")),
    )


def smtp_settings_from_airflow_connection(conn: AirflowConnectionLike) -> SmtpSettings:
    """Read an Airflow SMTP connection as the SMTP provider does (extras disable_ssl, disable_tls).

    The provider defaults to implicit TLS; STARTTLS applies only when `disable_ssl` is set.
    """
    if not conn.host:
        raise ValueError("SMTP connection has no host")
    extra = conn.extra_dejson or {}
    ssl = not _flag(extra.get("disable_ssl", False), "disable_ssl")
    starttls = not ssl and not _flag(extra.get("disable_tls", False), "disable_tls")
    return SmtpSettings(
        host=conn.host,
        port=int(conn.port) if conn.port else _default_port(ssl=ssl, starttls=starttls),
        user=conn.login or None,
        password=conn.password or None,
        ssl=ssl,
        starttls=starttls,
        timeout=_timeout(extra.get("timeout", 30)),
    )


def _url_options(query: str) -> dict[str, str]:
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        known = ", ".join(sorted(_OPTIONS))
        raise ValueError(f"invalid SMTP URL: unknown option {unknown[0]!r}; known: {known}")
    return options


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"SMTP setting {name} must be true or false, not {text!r}")


def _timeout(value: object) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"SMTP timeout must be a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 600:
        raise ValueError("SMTP timeout must be between 0 and 600 seconds")
    return seconds


def _default_port(*, ssl: bool, starttls: bool) -> int:
    return 465 if ssl else 587 if starttls else 25


def _no_secret(exc: ValueError) -> str:
    # urllib's messages quote the offending netloc, which may hold a password.
    message = str(exc)
    return "port must be a number from 1 to 65535" if "Port" in message else "cannot parse it"
