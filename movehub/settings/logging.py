"""structlog configuration: JSON lines in prod, readable console in dev; secrets redacted."""

from __future__ import annotations

import logging
from typing import Any

import structlog

# Keys whose values are never written to a log line, whatever logs them.
REDACTED_KEYS = frozenset(
    {
        "password",
        "code",
        "otp",
        "token",
        "access",
        "refresh",
        "authorization",
        "secret",
        "cookie",
        "sessionid",
    }
)


def redact_secrets(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: replace values of secret-looking keys with '[redacted]'."""
    for key in list(event_dict):
        if key.lower() in REDACTED_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]


def logging_config(*, fmt: str, level: str) -> dict:
    """Configure structlog and return Django's LOGGING dict routing stdlib logs through it."""
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": shared_processors(),
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structlog"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            # Django logs the full request on 4xx; keep those at WARNING without bodies.
            "django.request": {"level": "ERROR"},
        },
    }


logging.captureWarnings(True)
