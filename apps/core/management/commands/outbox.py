"""`manage.py outbox --to <phone-or-email> [--last]`: print messages the dev outbox kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.core.models import OutboxMessage


class Command(BaseCommand):
    help = "Print SMS and e-mail kept by the dev outbox (dev and test settings only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", required=True, help="E.164 phone number or e-mail address")
        parser.add_argument("--last", action="store_true", help="only the most recent message")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        destination = options["to"].strip()
        if "@" in destination:
            destination = destination.lower()
        messages = OutboxMessage.objects.filter(to=destination)
        limit = 1 if options["last"] else options["limit"]
        found = list(messages[:limit])
        if not found:
            raise CommandError(f"No message to {destination} in the outbox.")
        for message in found:
            when = message.created_at.isoformat(timespec="seconds")
            self.stdout.write(f"--- {message.channel} to {message.to} at {when}")
            if message.subject:
                self.stdout.write(f"Subject: {message.subject}")
            self.stdout.write(message.body)
