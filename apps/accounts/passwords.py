"""Choosing a password by e-mail link: password reset, and the first password of a staff member.

One link serves both (Django's password-reset token: it is bound to the current password hash,
so it dies once a password is set, and after PASSWORD_RESET_TIMEOUT). Staff sign in to the
dashboards with a password; a customer who signed in with a one-time code and then registered a
company has none yet, so the registration sends them this link (see
`apps.companies.services.company_register`), and "Forgot your password?" sends it to any company
member with an e-mail address, password or not.
"""

from __future__ import annotations

import smtplib

import structlog
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import User
from apps.core.messaging import SmsDeliveryFailed, sms_send

logger = structlog.get_logger(__name__)


def password_set_url(*, user: User) -> str:
    """The absolute one-time link where `user` chooses a password (ACCOUNTS_PASSWORD_SET_URL)."""
    return settings.ACCOUNTS_PASSWORD_SET_URL.format(
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )


def password_set_link_send(*, user_id: int) -> bool:
    """Send a staff member without a password the link to choose one (e-mail, else SMS).

    False when there is nothing to do: the user is gone, inactive, or already has a password.
    Idempotent enough for a retried task: a second link is as valid as the first until one of
    them is used.
    """
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    url = password_set_url(user=user)
    body = (
        "You registered a company on MoveHub. Its staff dashboard needs a password:\n"
        f"choose yours here (the link works once, within "
        f"{settings.PASSWORD_RESET_TIMEOUT // 3600} hours):\n{url}\n"
    )
    if user.email:
        send_mail("Choose your MoveHub password", body, None, [user.email])
    elif user.phone:
        try:
            sms_send(to=user.phone, body=f"MoveHub: choose your dashboard password: {url}")
        except SmsDeliveryFailed:
            logger.warning("accounts.password_link.delivery_failed", user_id=user.pk)
            raise
    return True


RETRYABLE = (smtplib.SMTPException, OSError, SmsDeliveryFailed)
