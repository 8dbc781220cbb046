"""The custom User: identified by e-mail and/or E.164 phone; no username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


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

    def normalize_email(self, email: str | None) -> str:
        # The whole address is case-folded: addresses differing only by case are one person here.
        return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person: customer, company staff (via companies.Membership) or platform admin (is_staff)."""

    # NULL, not "", when absent: unique constraints must ignore users without one.
    email = models.EmailField(max_length=254, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(max_length=16, null=True, blank=True, help_text="E.164")  # noqa: DJ001
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform admin: may use /admin/.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

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
