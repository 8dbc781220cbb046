"""The custom User (e-mail and/or E.164 phone, no username) and customers' login-code devices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.models import (
    DeviceManager,
    SideChannelDevice,
    ThrottlingMixin,
    TimestampMixin,
    VerifyNotAllowed,
)
from django_otp.util import random_number_token

LOGIN_CODE_DIGITS = 6


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, *, email: str | None, phone: str | None, password: str | None, **extra: Any):
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a phone number.")
        user = self.model(
            email=self.normalize_email(email) if email else None, phone=phone, **extra
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(
        self,
        email: str | None = None,
        password: str | None = None,
        *,
        phone: str | None = None,
        **extra: Any,
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email=email, phone=phone, password=password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email=email, phone=extra.pop("phone", None), password=password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is case-folded: addresses differing only by case are one person here.
        return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # LoginCodeDevice's bases are untyped (django-otp)
    """A person: customer, company staff (via companies.Membership) or platform admin (is_staff)."""

    # NULL, not "", when absent: unique constraints must ignore users without one.
    email = models.EmailField(max_length=254, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(max_length=16, null=True, blank=True, help_text="E.164")  # noqa: DJ001
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform admin: may use /admin/.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    # Set per request by django-otp (OTPMiddleware, the admin's OTP login); not a column.
    otp_device: Any

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(fields=["phone"], name="accounts_user_phone_unique"),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="accounts_user_has_identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"user {self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.email:
            self.email = self.email.strip().lower()
        if self.email == "":
            self.email = None
        if self.phone == "":
            self.phone = None


class LoginCodeDeviceManager(DeviceManager):
    def devices_for_user(self, user: Any, confirmed: bool | None = None) -> models.QuerySet:
        # A login code is a customer's FIRST factor, never a second one: keep these devices out of
        # django-otp's device lists (OTPAdminSite login, match_token, user_has_device).
        return self.none()


class LoginCodeDevice(TimestampMixin, ThrottlingMixin, SideChannelDevice):
    """One-time login codes for customers, sent by SMS or e-mail (django-otp side-channel device).

    Keyed by destination, not by user: a customer does not exist before the first successful
    verify, so there is one device per normalised destination (E.164 phone or lower-cased e-mail),
    and `user` (nullable) is filled in by the first successful verify, for the admin's benefit.

    The code is never stored: only an HMAC-SHA256 of (destination, code) keyed with SECRET_KEY
    (`token_hash`), so a database dump alone does not reveal live codes, and SideChannelDevice's
    plaintext `token` column is removed. A new code replaces the previous one (one live code per
    destination), lives settings.OTP_CODE_TTL_SECONDS, is cleared on first successful use, and dies
    after settings.OTP_MAX_ATTEMPTS wrong tries (ThrottlingMixin's failure counter used as a hard
    cap instead of its exponential back-off: the per-destination request throttle already bounds
    how many codes, hence guesses, an attacker gets).
    """

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="login_code_devices",
        help_text="The customer, once a code sent here was verified.",
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    destination = models.CharField(
        max_length=254, unique=True, help_text="E.164 phone number or lower-cased e-mail."
    )
    token = None  # never store the code itself
    token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = LoginCodeDeviceManager()

    class Meta:
        verbose_name = "login code device"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.destination}"

    def _code_hash(self, code: str) -> str:
        return salted_hmac(
            "apps.accounts.LoginCodeDevice", f"{self.destination}|{code}", algorithm="sha256"
        ).hexdigest()

    def generate_token(
        self, length: int = LOGIN_CODE_DIGITS, valid_secs: int | None = None, commit: bool = True
    ) -> str:
        """Replace the live code with a fresh one; return it (the only place it exists in clear)."""
        code = random_number_token(length)
        ttl = settings.OTP_CODE_TTL_SECONDS if valid_secs is None else valid_secs
        self.token_hash = self._code_hash(code)
        self.valid_until = timezone.now() + timedelta(seconds=ttl)
        self.throttle_reset(commit=False)  # a new code gets the full number of tries
        if commit:
            self.save()
        return code

    def verify_is_allowed(self) -> tuple[bool, dict | None]:
        if self.throttling_failure_count >= settings.OTP_MAX_ATTEMPTS:
            return False, {
                "reason": VerifyNotAllowed.N_FAILED_ATTEMPTS,
                "failure_count": self.throttling_failure_count,
            }
        return super().verify_is_allowed()

    def verify_token(self, token: str) -> bool:
        """True once per code: right, unexpired and fewer than OTP_MAX_ATTEMPTS wrong tries."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        now = timezone.now()
        if (
            self.token_hash
            and now < self.valid_until
            and constant_time_compare(self.token_hash, self._code_hash(str(token)))
        ):
            self.token_hash = ""
            self.valid_until = now
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def get_throttle_factor(self) -> int:
        return 0  # no exponential delay: verify_is_allowed caps the tries instead
