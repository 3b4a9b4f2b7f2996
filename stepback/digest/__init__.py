"""The daily digest: render each subscriber's flagged postings and deliver them."""

from stepback.digest.deliver import DeliveryReport, deliver
from stepback.digest.items import DigestItem, Subscriber
from stepback.digest.render import digest_filename, digest_subject, render_digest
from stepback.digest.smtp import SmtpSettings, parse_smtp_url, smtp_settings_from_airflow_connection

__all__ = [
    "DeliveryReport",
    "DigestItem",
    "SmtpSettings",
    "Subscriber",
    "deliver",
    "digest_filename",
    "digest_subject",
    "parse_smtp_url",
    "render_digest",
    "smtp_settings_from_airflow_connection",
]
