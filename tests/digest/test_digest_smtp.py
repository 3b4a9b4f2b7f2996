"""SMTP settings from STEPBACK_SMTP_URL and from the Airflow connection `smtp_default`."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from stepback.digest import SmtpSettings, parse_smtp_url, smtp_settings_from_airflow_connection


def test_plain_url_with_encoded_credentials():
    settings = parse_smtp_url("smtp://mail%40user:p%40ss%3Aword@127.0.0.1:1025")

    assert settings == SmtpSettings(
        host="127.0.0.1", port=1025, user="mail@user", password="p@ss:word"
    )
    assert "p@ss" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "host", "port", "ssl", "starttls", "user"),
    [
        ("smtp://mailpit", "mailpit", 25, False, False, None),
        ("smtps://u:p@smtp.example.com", "smtp.example.com", 465, True, False, "u"),
        ("SMTP://smtp.example.com?starttls=true", "smtp.example.com", 587, False, True, None),
        (
            "smtp://smtp.example.com:2525?starttls=1&timeout=5",
            "smtp.example.com",
            2525,
            False,
            True,
            None,
        ),
        ("smtp://[::1]:1025", "::1", 1025, False, False, None),
    ],
)
def test_url_forms(url, host, port, ssl, starttls, user):
    settings = parse_smtp_url(url)

    assert (settings.host, settings.port, settings.ssl, settings.starttls, settings.user) == (
        host,
        port,
        ssl,
        starttls,
        user,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://u:hunter2@host:25", "scheme"),
        ("smtp://u:hunter2@:25", "no host"),
        ("smtp://u:hunter2@host:99999", "port"),
        ("smtp://u:hunter2@host:0", "port"),
        ("smtp://u:hunter2@host:abc", "port"),
        ("smtp://u:hunter2@host?tls=yes", "unknown option"),
        ("smtp://u:hunter2@host?starttls=maybe", "starttls"),
        ("smtps://u:hunter2@host?starttls=true", "smtps"),
        ("smtp://u:hunter2@host?timeout=never", "timeout"),
    ],
)
def test_bad_urls_raise_one_line_without_the_password(url, message):
    with pytest.raises(ValueError, match=message) as caught:
        parse_smtp_url(url)

    assert "\n" not in str(caught.value) and "hunter2" not in str(caught.value)


def connection(extra=None, **fields):
    values = {"host": "smtp.example.com", "port": None, "login": None, "password": None}
    return SimpleNamespace(**(values | fields), extra_dejson=extra or {})


@pytest.mark.parametrize(
    ("extra", "port", "ssl", "starttls"),
    [
        ({}, 465, True, False),
        ({"disable_ssl": True}, 587, False, True),
        ({"disable_ssl": "true", "disable_tls": "true"}, 25, False, False),
        ({"disable_ssl": False, "disable_tls": True}, 465, True, False),
    ],
)
def test_airflow_connection_extras_follow_the_smtp_provider(extra, port, ssl, starttls):
    settings = smtp_settings_from_airflow_connection(connection(extra))

    assert (settings.port, settings.ssl, settings.starttls) == (port, ssl, starttls)


def test_airflow_connection_credentials_port_and_timeout():
    settings = smtp_settings_from_airflow_connection(
        connection({"disable_ssl": True, "timeout": "7"}, port=2525, login="u", password="pw")
    )

    assert (settings.port, settings.user, settings.password, settings.timeout) == (
        2525,
        "u",
        "pw",
        7.0,
    )
    with pytest.raises(ValueError, match="no host"):
        smtp_settings_from_airflow_connection(connection(host=""))


def test_real_airflow_connection_object():
    sdk = pytest.importorskip("airflow.sdk.definitions.connection")
    conn = sdk.Connection(
        conn_id="smtp_default",
        conn_type="smtp",
        host="mailpit",
        port=1025,
        extra='{"disable_ssl": true, "disable_tls": true}',
    )

    settings = smtp_settings_from_airflow_connection(conn)

    assert settings == SmtpSettings(host="mailpit", port=1025)
