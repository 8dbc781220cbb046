"""`manage.py enrol_admin_totp --email <admin e-mail>`: a confirmed authenticator for an admin."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.accounts.qr import qr_text
from apps.accounts.services import admin_totp_enrol
from apps.core.errors import PermissionDenied


class Command(BaseCommand):
    help = (
        "Create (or replace) a confirmed TOTP device for a platform admin (is_staff) and print "
        "its otpauth:// URI and a QR code to scan with an authenticator app. Any previous "
        "authenticator of that admin stops working."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="the admin's e-mail address")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        try:
            device = admin_totp_enrol(user=user)
        except PermissionDenied as exc:
            raise CommandError(exc.message) from exc
        uri = device.config_url
        self.stdout.write(f"Authenticator enrolled for {user.email}. Scan this QR code:")
        self.stdout.write(qr_text(uri))
        self.stdout.write(f"or enter this URI in the app: {uri}")
        self.stdout.write(
            "The admin login (/admin/) asks for its 6-digit code when ADMIN_REQUIRES_OTP."
        )
