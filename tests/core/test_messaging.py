"""The dev outbox keeps SMS and e-mail; `manage.py outbox` prints the last one; logs redact."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.mail import send_mail
from django.core.management import CommandError, call_command

from apps.core.messaging import sms_send
from movehub.settings.logging import redact_secrets

pytestmark = pytest.mark.django_db


def test_outbox_command_prints_the_last_sms_to_a_phone(capsys):
    sms_send(to="+33612345678", body="first")
    sms_send(to="+33612345678", body="Your MoveHub code is 123456")
    sms_send(to="+33700000000", body="someone else")

    call_command("outbox", "--to", "+33612345678", "--last")

    out = capsys.readouterr().out
    assert "Your MoveHub code is 123456" in out
    assert "first" not in out
    assert "someone else" not in out


def test_outbox_keeps_emails_by_lowercased_address(capsys, settings):
    # pytest-django swaps in the locmem backend; this test is about the outbox backend itself.
    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
    send_mail("Welcome", "Hello there", None, ["Ann@Example.com"])
    call_command("outbox", "--to", "ann@example.com", "--last")
    out = capsys.readouterr().out
    assert "Subject: Welcome" in out
    assert "Hello there" in out


def test_outbox_command_for_unknown_destination_fails_clearly():
    with pytest.raises(CommandError, match="No message to"):
        call_command("outbox", "--to", "+33000000000", "--last")


def test_secret_keys_are_redacted_from_log_events():
    event = redact_secrets(None, "info", {"event": "otp.sent", "code": "123456", "phone": "x"})
    assert event["code"] == "[redacted]"
    assert event["event"] == "otp.sent"


def test_json_log_line_carries_request_id_and_never_the_secret(client, capfd, settings):
    from movehub.settings.logging import logging_config

    logging.config.dictConfig(logging_config(fmt="json", level="INFO"))
    try:
        import structlog

        structlog.contextvars.bind_contextvars(request_id="rid-123456789")
        structlog.get_logger("test").info("login.attempt", password="hunter2", token="abc")
        structlog.contextvars.clear_contextvars()
    finally:
        logging.config.dictConfig(settings.LOGGING)
    line = [ln for ln in capfd.readouterr().err.splitlines() if "login.attempt" in ln][-1]
    record = json.loads(line)
    assert record["request_id"] == "rid-123456789"
    assert record["password"] == "[redacted]"
    assert "hunter2" not in line and "abc" not in line.replace("[redacted]", "")
