"""Outgoing SMS and e-mail: pluggable SMS backends and the dev-outbox e-mail backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import httpx
import structlog
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.utils.module_loading import import_string

from apps.core.models import OutboxMessage

logger = structlog.get_logger(__name__)


class SmsDeliveryFailed(Exception):
    """The SMS gateway did not accept the message."""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


def outbox_record(*, channel: str, to: str, body: str, subject: str = "") -> None:
    """Keep a copy of a sent message when the dev outbox is on (never in prod)."""
    if settings.OUTBOX_ENABLED:
        OutboxMessage.objects.create(channel=channel, to=to, subject=subject[:255], body=body)


class OutboxSmsBackend:
    """Test backend: the message goes to the outbox only."""

    def send(self, *, to: str, body: str) -> None:
        outbox_record(channel=OutboxMessage.Channel.SMS, to=to, body=body)


class ConsoleSmsBackend(OutboxSmsBackend):
    """Dev backend: the outbox, and the message printed on the console (dev only)."""

    def send(self, *, to: str, body: str) -> None:
        super().send(to=to, body=body)
        print(f"[sms to {to}] {body}", flush=True)


class HttpSmsBackend:
    """Prod backend: POST {to, body} as JSON to SMS_GATEWAY_URL with a bearer token."""

    timeout_seconds = 5.0

    def send(self, *, to: str, body: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsDeliveryFailed("SMS_GATEWAY_URL is not configured.")
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL,
                json={"to": to, "body": body},
                headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
                timeout=self.timeout_seconds,
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("sms.delivery_failed", error=type(exc).__name__)
            raise SmsDeliveryFailed(str(type(exc).__name__)) from exc


def sms_send(*, to: str, body: str) -> None:
    """Send an SMS through settings.SMS_BACKEND."""
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(to=to, body=body)


class OutboxEmailBackend(ConsoleEmailBackend):
    """Dev/test e-mail backend: every message goes to the outbox (and the console in DEBUG)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            for recipient in message.recipients():
                outbox_record(
                    channel=OutboxMessage.Channel.EMAIL,
                    to=recipient.lower(),
                    subject=str(message.subject),
                    body=str(message.body),
                )
        if settings.DEBUG:
            return super().send_messages(email_messages)
        return len(email_messages)
